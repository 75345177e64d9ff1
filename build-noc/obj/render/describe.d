build-noc/obj/render/describe.o: src/render/describe.c \
 src/render/describe.h src/common/escape.h src/common/event.h \
 src/common/units.h
src/render/describe.h:
src/common/escape.h:
src/common/event.h:
src/common/units.h:
