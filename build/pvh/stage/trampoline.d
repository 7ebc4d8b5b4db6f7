build/pvh/stage/trampoline.o: stage/trampoline.S stage/handoff.h
stage/handoff.h:
