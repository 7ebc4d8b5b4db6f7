build/pvh/stage/pvh_entry.o: stage/pvh_entry.S
