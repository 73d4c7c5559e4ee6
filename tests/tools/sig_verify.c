/*
 * sig_verify.c - `vanthu verify` as a stand-alone program for the tests,
 * until store/vanthu.c dispatches to verify_main().
 */
#include "verify_cmd.h"

int
main(int argc, char **argv)
{
	argv[0] = "verify";
	return verify_main(argc, argv);
}
