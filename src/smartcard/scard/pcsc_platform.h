/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every platform difference of the PC/SC API lives in this header:
 * which header declares it, how wide DWORD and the handles are, which
 * symbol names the library exports and which calls exist at all.
 */
#ifndef SCARD_PCSC_PLATFORM_H
#define SCARD_PCSC_PLATFORM_H

#if defined(_WIN32)
/* Windows and MSYS2: winscard.dll, ANSI ("A") variants of string calls. */
#  include <windows.h>
#  include <winscard.h>
#  define PCSC_CALL WINAPI
#  define PCSC_LIBRARY_NAME "winscard.dll"
#  define PCSC_RESOURCE_MANAGER "winscard"
#  define PCSC_RESOURCE_MANAGER_SUBTYPE "winscard-win32"
#  define PCSC_SYMBOL_SUFFIX_A "A"
#  define PCSC_HAS_CARD_DATABASE 1
typedef SCARD_READERSTATEA pcsc_readerstate;
/* Handles are ULONG_PTR: unsigned and pointer sized. */
#  define PCSC_HANDLE_IS_UNSIGNED 1

#elif defined(__APPLE__)
/* macOS: PCSC.framework. DWORD is 32 bits, the structs are packed by
 * the framework header, SCARD_AUTOALLOCATE does not exist and the
 * modern SCardControl is exported as SCardControl132. */
#  include <PCSC/winscard.h>
#  include <PCSC/wintypes.h>
#  define PCSC_CALL
#  define PCSC_LIBRARY_NAME \
     "/System/Library/Frameworks/PCSC.framework/PCSC"
#  define PCSC_RESOURCE_MANAGER "pcsclite"
#  define PCSC_RESOURCE_MANAGER_SUBTYPE "pcsclite-darwin"
#  define PCSC_SYMBOL_SUFFIX_A ""
#  define PCSC_CONTROL_SYMBOL "SCardControl132"
typedef SCARD_READERSTATE pcsc_readerstate;

#else
/* Linux, the BSDs and other pcsc-lite systems. */
#  include <winscard.h>
#  include <wintypes.h>
#  define PCSC_CALL
#  define PCSC_LIBRARY_NAME "libpcsclite.so.1"
#  define PCSC_RESOURCE_MANAGER "pcsclite"
#  if defined(__linux__)
#    define PCSC_RESOURCE_MANAGER_SUBTYPE "pcsclite-linux"
#  else
#    define PCSC_RESOURCE_MANAGER_SUBTYPE "pcsclite-bsd"
#  endif
#  define PCSC_SYMBOL_SUFFIX_A ""
typedef SCARD_READERSTATE pcsc_readerstate;
#endif

#ifndef PCSC_CONTROL_SYMBOL
#  define PCSC_CONTROL_SYMBOL "SCardControl"
#endif

#ifndef MAX_ATR_SIZE
#  define MAX_ATR_SIZE 33
#endif

/* Largest buffer any reader can return: 64 KiB data + APDU header + Lc,
 * Le and SW, as pcsc-lite's MAX_BUFFER_SIZE_EXTENDED. */
#define PCSC_MAX_BUFFER 65548

/* The PC/SC return code type: 64-bit long on 64-bit pcsc-lite, 32-bit
 * elsewhere. Returned to Python as the platform value, as pyscard does. */
typedef LONG pcsc_result;

#ifndef SCARD_E_UNSUPPORTED_FEATURE
#  define SCARD_E_UNSUPPORTED_FEATURE ((LONG)0x8010001F)
#endif

#endif
