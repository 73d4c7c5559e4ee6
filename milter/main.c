/* main.c - vanthu-milter entry point (being written). */
#include <stdio.h>
#include "version.h"

int
main(void)
{
	printf("vanthu-milter %s\n", VANTHU_VERSION);
	return 0;
}
