build/pvh/core/acpi.o: core/acpi.c core/acpi.h core/lib.h
core/acpi.h:
core/lib.h:
