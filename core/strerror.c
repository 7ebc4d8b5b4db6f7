/* SPDX-License-Identifier: MIT */
#include "errno.h"

struct errname {
	int err;
	const char *name;
};

static const struct errname errnames[] = {
	{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },	    { EIO, "EIO" },
	{ E2BIG, "E2BIG" },	{ ENOEXEC, "ENOEXEC" },	    { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },	    { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },	{ EBUSY, "EBUSY" },	    { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" },	{ ENOTDIR, "ENOTDIR" },	    { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },	{ EFBIG, "EFBIG" },	    { ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },	{ EMLINK, "EMLINK" },	    { ERANGE, "ERANGE" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" }, { ELOOP, "ELOOP" },
	{ ENODATA, "ENODATA" }, { ETIME, "ETIME" },	    { EOVERFLOW, "EOVERFLOW" },
	{ EILSEQ, "EILSEQ" },	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ EUCLEAN, "EUCLEAN" }, { EDQUOT, "EDQUOT" }, { EMEDIUMTYPE, "EMEDIUMTYPE" },
};

const char *strerror_name(int err)
{
	if (err < 0)
		err = -err;
	for (unsigned i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "E?";
}
