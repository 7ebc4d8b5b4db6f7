# xen/: the Xen PVH domU platform.
XEN_SRCS := xen/hypercall.c xen/console.c xen/grant.c xen/xenstore.c xen/blkfront.c
PVH_SRCS += $(XEN_SRCS)
