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
/* Used by crypttab-check. */
static const char *const SHIM_CRYPT_TCRYPT = CRYPT_TCRYPT;
static const char *const SHIM_CRYPT_BITLK = CRYPT_BITLK;
static const int SHIM_CRYPT_LOG_DEBUG = CRYPT_LOG_DEBUG;
static const int SHIM_CRYPT_DEBUG_NONE = CRYPT_DEBUG_NONE;
static const uint32_t SHIM_CRYPT_ACTIVATE_KEYRING_KEY = CRYPT_ACTIVATE_KEYRING_KEY;

/* Silences libcryptsetup's own messages: crypttab-check reports every failure itself. */
static void shim_crypt_log_silent(int level, const char *msg, void *usrptr) {
    (void)level; (void)msg; (void)usrptr;
}
static inline void shim_crypt_silence(struct crypt_device *cd) {
    crypt_set_log_callback(cd, shim_crypt_log_silent, (void *)0);
}
#endif
