build-noc/obj/rules/rule_docs.o: src/rules/rule_docs.c \
 src/rules/rule_docs.h src/rules/rules.h
src/rules/rule_docs.h:
src/rules/rules.h:
