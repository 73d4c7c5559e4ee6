/*
 * digest.h - SHA-256 as lower-case hex, with OpenSSL.
 */
#ifndef VANTHU_DIGEST_H
#define VANTHU_DIGEST_H

#include <stddef.h>

void    sha256_hex(const void *data, size_t len, char out[65]);

#endif
