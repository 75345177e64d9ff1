build2/capture/ksyms.o: src/capture/ksyms.c src/capture/ksyms.h
src/capture/ksyms.h:
