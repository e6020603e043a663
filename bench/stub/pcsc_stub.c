/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stub PC/SC library for benchmarks: every winscard call returns at once
 * with a canned answer, so a benchmark over it measures the Python binding
 * alone (argument conversion, result building), not pcscd or a card.
 *
 * Built as libpcsclite.so.1 by bench/run.py. pyscard 2.3.1 dlopens that
 * name, so LD_LIBRARY_PATH pointing at the stub's folder makes it load the
 * stub; our extension is pointed at it with PYSCARD_PCSC_LIBRARY.
 *
 * Types come from the real pcsc-lite headers so the ABI matches what both
 * bindings were compiled against.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winscard.h>
#include <reader.h> /* SCARD_ATTR_* */

#define STUB_API __attribute__((visibility("default")))

/* The protocol control information pcsc-lite exports as data symbols;
 * pyscard 2.3.1 and our extension both look them up with dlsym. */
STUB_API const SCARD_IO_REQUEST g_rgSCardT0Pci = {SCARD_PROTOCOL_T0,
                                                  sizeof(SCARD_IO_REQUEST)};
STUB_API const SCARD_IO_REQUEST g_rgSCardT1Pci = {SCARD_PROTOCOL_T1,
                                                  sizeof(SCARD_IO_REQUEST)};
STUB_API const SCARD_IO_REQUEST g_rgSCardRawPci = {SCARD_PROTOCOL_RAW,
                                                   sizeof(SCARD_IO_REQUEST)};

#define STUB_CONTEXT ((SCARDCONTEXT)0x0C0FFEE)
#define STUB_CARD ((SCARDHANDLE)0x00CA4D)

/* Two readers, named the way pcscd names them, as one multi-string. */
static const char stub_readers[] = "pyscard bench stub 00 00\0"
                                   "pyscard bench stub 01 00\0";
static const char stub_groups[] = "SCard$DefaultReaders\0";

/* A 20-byte ATR (a PC/SC storage card), the same one the ATR benchmark
 * parses, so SCardStatus and SCardGetStatusChange carry a realistic size. */
static const BYTE stub_atr[] = {0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C,
                                0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00,
                                0x01, 0x00, 0x00, 0x00, 0x00, 0x6A};

/* Copy an answer into a caller buffer with the PC/SC conventions: a NULL
 * buffer asks for the size, SCARD_AUTOALLOCATE asks the library to
 * allocate (freed by SCardFreeMemory), a short buffer is an error. */
static LONG give(const void *data, DWORD size, void *buffer, LPDWORD length)
{
    if (length == NULL)
        return SCARD_E_INVALID_PARAMETER;
    if (buffer == NULL) {
        *length = size;
        return SCARD_S_SUCCESS;
    }
    if (*length == SCARD_AUTOALLOCATE) {
        void *copy = malloc(size ? size : 1);
        if (copy == NULL)
            return SCARD_E_NO_MEMORY;
        memcpy(copy, data, size);
        *(void **)buffer = copy;
        *length = size;
        return SCARD_S_SUCCESS;
    }
    if (*length < size) {
        *length = size;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    memcpy(buffer, data, size);
    *length = size;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardEstablishContext(DWORD dwScope, LPCVOID pvReserved1,
                                    LPCVOID pvReserved2,
                                    LPSCARDCONTEXT phContext)
{
    (void)dwScope; (void)pvReserved1; (void)pvReserved2;
    if (phContext == NULL)
        return SCARD_E_INVALID_PARAMETER;
    *phContext = STUB_CONTEXT;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardReleaseContext(SCARDCONTEXT hContext)
{
    (void)hContext;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardIsValidContext(SCARDCONTEXT hContext)
{
    return hContext == STUB_CONTEXT ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE;
}

STUB_API LONG SCardListReaders(SCARDCONTEXT hContext, LPCSTR mszGroups,
                               LPSTR mszReaders, LPDWORD pcchReaders)
{
    (void)hContext; (void)mszGroups;
    /* sizeof includes the final NUL that ends the multi-string. */
    return give(stub_readers, sizeof stub_readers, mszReaders, pcchReaders);
}

STUB_API LONG SCardListReaderGroups(SCARDCONTEXT hContext, LPSTR mszGroups,
                                    LPDWORD pcchGroups)
{
    (void)hContext;
    return give(stub_groups, sizeof stub_groups, mszGroups, pcchGroups);
}

STUB_API LONG SCardFreeMemory(SCARDCONTEXT hContext, LPCVOID pvMem)
{
    (void)hContext;
    free((void *)pvMem);
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardConnect(SCARDCONTEXT hContext, LPCSTR szReader,
                           DWORD dwShareMode, DWORD dwPreferredProtocols,
                           LPSCARDHANDLE phCard, LPDWORD pdwActiveProtocol)
{
    (void)hContext; (void)szReader; (void)dwShareMode;
    if (phCard == NULL || pdwActiveProtocol == NULL)
        return SCARD_E_INVALID_PARAMETER;
    *phCard = STUB_CARD;
    *pdwActiveProtocol = (dwPreferredProtocols & SCARD_PROTOCOL_T1)
                             ? SCARD_PROTOCOL_T1
                             : SCARD_PROTOCOL_T0;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardReconnect(SCARDHANDLE hCard, DWORD dwShareMode,
                             DWORD dwPreferredProtocols,
                             DWORD dwInitialization, LPDWORD pdwActiveProtocol)
{
    (void)hCard; (void)dwShareMode; (void)dwInitialization;
    if (pdwActiveProtocol != NULL)
        *pdwActiveProtocol = (dwPreferredProtocols & SCARD_PROTOCOL_T1)
                                 ? SCARD_PROTOCOL_T1
                                 : SCARD_PROTOCOL_T0;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardDisconnect(SCARDHANDLE hCard, DWORD dwDisposition)
{
    (void)hCard; (void)dwDisposition;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardBeginTransaction(SCARDHANDLE hCard)
{
    (void)hCard;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardEndTransaction(SCARDHANDLE hCard, DWORD dwDisposition)
{
    (void)hCard; (void)dwDisposition;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardCancel(SCARDCONTEXT hContext)
{
    (void)hContext;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardStatus(SCARDHANDLE hCard, LPSTR szReaderName,
                          LPDWORD pcchReaderLen, LPDWORD pdwState,
                          LPDWORD pdwProtocol, LPBYTE pbAtr,
                          LPDWORD pcbAtrLen)
{
    LONG rv;
    (void)hCard;
    /* The first reader name: a C string, NUL included. */
    if (pcchReaderLen != NULL) {
        rv = give(stub_readers, (DWORD)strlen(stub_readers) + 1, szReaderName,
                  pcchReaderLen);
        if (rv != SCARD_S_SUCCESS)
            return rv;
    }
    if (pcbAtrLen != NULL) {
        rv = give(stub_atr, sizeof stub_atr, pbAtr, pcbAtrLen);
        if (rv != SCARD_S_SUCCESS)
            return rv;
    }
    if (pdwState != NULL)
        *pdwState = SCARD_PRESENT | SCARD_POWERED | SCARD_NEGOTIABLE |
                    SCARD_SPECIFIC;
    if (pdwProtocol != NULL)
        *pdwProtocol = SCARD_PROTOCOL_T1;
    return SCARD_S_SUCCESS;
}

/* Never blocks: both readers always hold a card. */
STUB_API LONG SCardGetStatusChange(SCARDCONTEXT hContext, DWORD dwTimeout,
                                   SCARD_READERSTATE *rgReaderStates,
                                   DWORD cReaders)
{
    DWORD i;
    (void)hContext; (void)dwTimeout;
    if (rgReaderStates == NULL && cReaders > 0)
        return SCARD_E_INVALID_PARAMETER;
    for (i = 0; i < cReaders; i++) {
        SCARD_READERSTATE *s = &rgReaderStates[i];
        DWORD event = SCARD_STATE_UNKNOWN;
        s->cbAtr = 0;
        if (s->szReader != NULL &&
            (strcmp(s->szReader, stub_readers) == 0 ||
             strcmp(s->szReader, stub_readers + strlen(stub_readers) + 1) == 0)) {
            event = SCARD_STATE_PRESENT;
            memcpy(s->rgbAtr, stub_atr, sizeof stub_atr);
            s->cbAtr = sizeof stub_atr;
        }
        if (event != (s->dwCurrentState & 0xFFFF))
            event |= SCARD_STATE_CHANGED;
        s->dwEventState = event;
    }
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardControl(SCARDHANDLE hCard, DWORD dwControlCode,
                           LPCVOID pbSendBuffer, DWORD cbSendLength,
                           LPVOID pbRecvBuffer, DWORD cbRecvLength,
                           LPDWORD lpBytesReturned)
{
    (void)hCard; (void)dwControlCode;
    if (lpBytesReturned == NULL)
        return SCARD_E_INVALID_PARAMETER;
    /* Echo the command, as a loop-back reader would. */
    if (cbSendLength > cbRecvLength)
        return SCARD_E_INSUFFICIENT_BUFFER;
    if (cbSendLength > 0)
        memcpy(pbRecvBuffer, pbSendBuffer, cbSendLength);
    *lpBytesReturned = cbSendLength;
    return SCARD_S_SUCCESS;
}

/* 90 00 to every command, except a case-2 command (4-byte header plus Le,
 * INS B0 READ BINARY or CA GET DATA) which gets Le bytes of data first. */
STUB_API LONG SCardTransmit(SCARDHANDLE hCard,
                            const SCARD_IO_REQUEST *pioSendPci,
                            LPCBYTE pbSendBuffer, DWORD cbSendLength,
                            SCARD_IO_REQUEST *pioRecvPci, LPBYTE pbRecvBuffer,
                            LPDWORD pcbRecvLength)
{
    DWORD data = 0, i;
    (void)hCard;
    if (pioSendPci == NULL || pbSendBuffer == NULL || cbSendLength < 4 ||
        pbRecvBuffer == NULL || pcbRecvLength == NULL)
        return SCARD_E_INVALID_PARAMETER;
    if (cbSendLength == 5 &&
        (pbSendBuffer[1] == 0xB0 || pbSendBuffer[1] == 0xCA))
        data = pbSendBuffer[4] ? pbSendBuffer[4] : 256;
    if (*pcbRecvLength < data + 2) {
        *pcbRecvLength = data + 2;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    for (i = 0; i < data; i++)
        pbRecvBuffer[i] = (BYTE)i;
    pbRecvBuffer[data] = 0x90;
    pbRecvBuffer[data + 1] = 0x00;
    *pcbRecvLength = data + 2;
    if (pioRecvPci != NULL)
        pioRecvPci->dwProtocol = pioSendPci->dwProtocol;
    return SCARD_S_SUCCESS;
}

STUB_API LONG SCardGetAttrib(SCARDHANDLE hCard, DWORD dwAttrId,
                             LPBYTE pbAttr, LPDWORD pcbAttrLen)
{
    static const BYTE vendor[] = "pyscard bench";
    (void)hCard;
    if (dwAttrId == SCARD_ATTR_ATR_STRING)
        return give(stub_atr, sizeof stub_atr, pbAttr, pcbAttrLen);
    if (dwAttrId == SCARD_ATTR_VENDOR_NAME)
        return give(vendor, sizeof vendor, pbAttr, pcbAttrLen);
    return SCARD_E_UNSUPPORTED_FEATURE;
}

STUB_API LONG SCardSetAttrib(SCARDHANDLE hCard, DWORD dwAttrId,
                             LPCBYTE pbAttr, DWORD cbAttrLen)
{
    (void)hCard; (void)dwAttrId; (void)pbAttr; (void)cbAttrLen;
    return SCARD_S_SUCCESS;
}

STUB_API const char *pcsc_stringify_error(const LONG pcscError)
{
    /* Per thread, as pcsc-lite's own, so concurrent callers don't race. */
    static __thread char text[48];
    if (pcscError == SCARD_S_SUCCESS)
        return "Command successful.";
    snprintf(text, sizeof text, "Stub error 0x%08lX",
             (unsigned long)(DWORD)pcscError);
    return text;
}
