/*
 * sig_verify.c - verify_main() on its own, so the signature tests do not
 * depend on the register tool's options (`vanthu verify` is the same).
 */
#include "verify_cmd.h"

int
main(int argc, char **argv)
{
	argv[0] = "verify";
	return verify_main(argc, argv);
}
