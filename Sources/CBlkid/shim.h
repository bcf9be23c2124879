#ifndef CBLKID_SHIM_H
#define CBLKID_SHIM_H
#include <blkid.h>
#include <stdint.h>

/* Macros that do not import into Swift, re-exported as constants. */
static const int SHIM_BLKID_SUBLKS_LABEL = BLKID_SUBLKS_LABEL;
static const int SHIM_BLKID_SUBLKS_UUID = BLKID_SUBLKS_UUID;
static const int SHIM_BLKID_SUBLKS_TYPE = BLKID_SUBLKS_TYPE;
static const int SHIM_BLKID_SUBLKS_USAGE = BLKID_SUBLKS_USAGE;
static const int SHIM_BLKID_PARTS_ENTRY_DETAILS = BLKID_PARTS_ENTRY_DETAILS;
#endif
