/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run-time loading of the PC/SC library. The extension links nothing:
 * the first PC/SC call opens the library (dlopen or LoadLibrary) and
 * resolves every entry point into the table below. */
#ifndef SCARD_PCSC_LOADER_H
#define SCARD_PCSC_LOADER_H

#include "pcsc_platform.h"

typedef struct {
    LONG (PCSC_CALL *EstablishContext)(DWORD, LPCVOID, LPCVOID, LPSCARDCONTEXT);
    LONG (PCSC_CALL *ReleaseContext)(SCARDCONTEXT);
    LONG (PCSC_CALL *IsValidContext)(SCARDCONTEXT);
    LONG (PCSC_CALL *ListReaders)(SCARDCONTEXT, const char *, char *, LPDWORD);
    LONG (PCSC_CALL *ListReaderGroups)(SCARDCONTEXT, char *, LPDWORD);
    LONG (PCSC_CALL *Connect)(SCARDCONTEXT, const char *, DWORD, DWORD,
                              LPSCARDHANDLE, LPDWORD);
    LONG (PCSC_CALL *Reconnect)(SCARDHANDLE, DWORD, DWORD, DWORD, LPDWORD);
    LONG (PCSC_CALL *Disconnect)(SCARDHANDLE, DWORD);
    LONG (PCSC_CALL *BeginTransaction)(SCARDHANDLE);
    LONG (PCSC_CALL *EndTransaction)(SCARDHANDLE, DWORD);
    LONG (PCSC_CALL *Status)(SCARDHANDLE, char *, LPDWORD, LPDWORD, LPDWORD,
                             LPBYTE, LPDWORD);
    LONG (PCSC_CALL *GetStatusChange)(SCARDCONTEXT, DWORD, pcsc_readerstate *,
                                      DWORD);
    LONG (PCSC_CALL *Control)(SCARDHANDLE, DWORD, LPCVOID, DWORD, LPVOID, DWORD,
                              LPDWORD);
    LONG (PCSC_CALL *Transmit)(SCARDHANDLE, const SCARD_IO_REQUEST *, const BYTE *,
                               DWORD, SCARD_IO_REQUEST *, LPBYTE, LPDWORD);
    LONG (PCSC_CALL *Cancel)(SCARDCONTEXT);
    LONG (PCSC_CALL *GetAttrib)(SCARDHANDLE, DWORD, LPBYTE, LPDWORD);
    LONG (PCSC_CALL *SetAttrib)(SCARDHANDLE, DWORD, const BYTE *, DWORD);
    /* Optional: pcsc-lite and PCSC.framework only. */
    const char *(PCSC_CALL *StringifyError)(LONG);
    const SCARD_IO_REQUEST *pci_t0;
    const SCARD_IO_REQUEST *pci_t1;
    const SCARD_IO_REQUEST *pci_raw;
#if defined(PCSC_HAS_CARD_DATABASE)
    /* Windows only: reader groups administration and the card database. */
    LONG (PCSC_CALL *IntroduceReaderGroup)(SCARDCONTEXT, const char *);
    LONG (PCSC_CALL *ForgetReaderGroup)(SCARDCONTEXT, const char *);
    LONG (PCSC_CALL *IntroduceReader)(SCARDCONTEXT, const char *, const char *);
    LONG (PCSC_CALL *ForgetReader)(SCARDCONTEXT, const char *);
    LONG (PCSC_CALL *AddReaderToGroup)(SCARDCONTEXT, const char *, const char *);
    LONG (PCSC_CALL *RemoveReaderFromGroup)(SCARDCONTEXT, const char *,
                                            const char *);
    LONG (PCSC_CALL *ListCards)(SCARDCONTEXT, const BYTE *, const GUID *, DWORD,
                                char *, LPDWORD);
    LONG (PCSC_CALL *ListInterfaces)(SCARDCONTEXT, const char *, GUID *, LPDWORD);
    LONG (PCSC_CALL *GetProviderId)(SCARDCONTEXT, const char *, GUID *);
    LONG (PCSC_CALL *GetCardTypeProviderName)(SCARDCONTEXT, const char *, DWORD,
                                              char *, LPDWORD);
    LONG (PCSC_CALL *IntroduceCardType)(SCARDCONTEXT, const char *, const GUID *,
                                        const GUID *, DWORD, const BYTE *,
                                        const BYTE *, DWORD);
    LONG (PCSC_CALL *ForgetCardType)(SCARDCONTEXT, const char *);
    LONG (PCSC_CALL *LocateCards)(SCARDCONTEXT, const char *, pcsc_readerstate *,
                                  DWORD);
#endif
} pcsc_api_table;

/* The table, filled by pcsc_api(); NULL members are absent entry points. */
extern pcsc_api_table pcsc_api_entries;

/* Returns the loaded table, loading the library on first use. Returns
 * NULL with a Python exception set when the library cannot be loaded.
 * Must be called with the GIL held. */
const pcsc_api_table *pcsc_api(void);

/* The exception classes, created at module initialisation. */
extern PyObject *scard_error;
extern PyObject *scard_library_error;

int pcsc_loader_init_exceptions(PyObject *module);

#endif
