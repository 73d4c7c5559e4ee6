/* vanthu.c - the clerk's register tool (being written). */
#include <stdio.h>
#include "version.h"

int
main(void)
{
	printf("vanthu %s\n", VANTHU_VERSION);
	return 0;
}
