#ifndef CCRYPTSETUP_SHIM_H
#define CCRYPTSETUP_SHIM_H
#include <libcryptsetup.h>
#include <stdint.h>

/* Macros that do not import into Swift, re-exported as constants. */
static const uint32_t SHIM_CRYPT_ACTIVATE_READONLY = CRYPT_ACTIVATE_READONLY;
static const uint32_t SHIM_CRYPT_ACTIVATE_ALLOW_DISCARDS = CRYPT_ACTIVATE_ALLOW_DISCARDS;
static const int SHIM_CRYPT_ANY_SLOT = CRYPT_ANY_SLOT;
static const char *const SHIM_CRYPT_LUKS1 = CRYPT_LUKS1;
static const char *const SHIM_CRYPT_LUKS2 = CRYPT_LUKS2;
static const char *const SHIM_CRYPT_PLAIN = CRYPT_PLAIN;
#endif
