/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stub PC/SC library for fuzzing and property tests. Like
 * bench/stub/pcsc_stub.c it answers every winscard call at once without
 * pcscd, but its answers are chosen by the caller instead of canned:
 *
 *  - by default ("echo"), every call that returns data returns what it was
 *    given: SCardTransmit the APDU plus 90 00, SCardControl the command,
 *    SCardGetAttrib what SCardSetAttrib stored, SCardStatus the reader name
 *    given to SCardConnect, SCardListReaders the groups it was given,
 *    SCardGetStatusChange the ATRs it was given. Round-trip tests rely on it.
 *  - pcsc_stub_program(payload, n, lies, rv) makes the following calls
 *    answer `payload` (names, ATRs and data alike) with result code `rv`,
 *    until pcsc_stub_reset(). Fuzz targets call it through ctypes.
 *  - `lies` makes the library break the PC/SC contract about *lengths*
 *    (never by writing past the buffer it was given: no binding could defend
 *    against that). Honoured only when PYSCARD_STUB_ADVERSARIAL=1 is set in
 *    the environment, so the same targets run against a well-behaved library
 *    or a misbehaving one.
 *
 * The bench stub stays as it is: its canned answers are part of the
 * benchmark figures. Counters (pcsc_stub_counter) let a target check what
 * reached the library, e.g. that an empty APDU never does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winscard.h>
#include <reader.h>

#define STUB_API __attribute__((visibility("default")))

STUB_API const SCARD_IO_REQUEST g_rgSCardT0Pci = {SCARD_PROTOCOL_T0,
                                                  sizeof(SCARD_IO_REQUEST)};
STUB_API const SCARD_IO_REQUEST g_rgSCardT1Pci = {SCARD_PROTOCOL_T1,
                                                  sizeof(SCARD_IO_REQUEST)};
STUB_API const SCARD_IO_REQUEST g_rgSCardRawPci = {SCARD_PROTOCOL_RAW,
                                                   sizeof(SCARD_IO_REQUEST)};

#define STUB_CONTEXT ((SCARDCONTEXT)0x0C0FFEE)
#define STUB_CARD ((SCARDHANDLE)0x00CA4D)

/* Length lies (bit flags), honoured only in adversarial mode. */
#define LIE_LENGTH_UNCHANGED 0x01 /* success, but *length not updated */
#define LIE_LENGTH_HUGE 0x02      /* success, *length = 0xFFFFFFFF */
#define LIE_LENGTH_PLUS_ONE 0x04  /* success, *length = capacity + 1 */
#define LIE_NO_NUL 0x08           /* names fill the buffer, no NUL at all */
#define LIE_ALWAYS_SHORT 0x10     /* SCARD_E_INSUFFICIENT_BUFFER for ever */
#define LIE_SIZE_QUERY_HUGE 0x20  /* a size query answers 0xFFFFFFFF */
#define LIE_NULL_TEXT 0x40        /* pcsc_stringify_error returns NULL */
#define LIE_ATR_LENGTH_HUGE 0x80  /* reader states: cbAtr = 0xFFFFFFFF */

enum { COUNT_CALLS, COUNT_EMPTY_TRANSMITS, COUNT_LAST_SEND_LENGTH, COUNT_N };

static unsigned char payload[70000];
static size_t payload_length;
static int programmed;
static unsigned lies;
static LONG program_rv;
static int adversarial = -1;
static long counters[COUNT_N];

static unsigned char stored_attr[70000];
static size_t stored_attr_length;
static char connected_reader[4096] = "pyscard fuzz stub 00 00";

static unsigned active_lies(void)
{
    if (adversarial < 0) {
        const char *flag = getenv("PYSCARD_STUB_ADVERSARIAL");
        adversarial = flag != NULL && flag[0] == '1';
    }
    return adversarial ? lies : 0;
}

STUB_API void pcsc_stub_program(const unsigned char *data, size_t n,
                                unsigned lie_flags, long rv)
{
    if (n > sizeof payload)
        n = sizeof payload;
    memcpy(payload, data, n);
    payload_length = n;
    lies = lie_flags;
    program_rv = (LONG)rv;
    programmed = 1;
}

STUB_API void pcsc_stub_reset(void)
{
    programmed = 0;
    lies = 0;
    program_rv = SCARD_S_SUCCESS;
    payload_length = 0;
}

STUB_API int pcsc_stub_is_adversarial(void)
{
    active_lies();
    return adversarial;
}

STUB_API long pcsc_stub_counter(int which)
{
    return which >= 0 && which < COUNT_N ? counters[which] : -1;
}

/* Copy an answer into a caller buffer with the PC/SC conventions (NULL
 * buffer: size query; SCARD_AUTOALLOCATE; short buffer: error), then
 * apply the active lies to the length reported. */
static LONG give(const void *data, DWORD size, void *buffer, LPDWORD length)
{
    unsigned lie = active_lies();
    DWORD capacity;

    counters[COUNT_CALLS]++;
    if (length == NULL)
        return SCARD_E_INVALID_PARAMETER;
    if (programmed && program_rv != SCARD_S_SUCCESS &&
        program_rv != SCARD_E_INSUFFICIENT_BUFFER)
        return program_rv;
    if (buffer == NULL) {
        *length = (lie & LIE_SIZE_QUERY_HUGE) ? (DWORD)0xFFFFFFFFu : size;
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
    capacity = *length;
    if ((lie & LIE_ALWAYS_SHORT) ||
        (programmed && program_rv == SCARD_E_INSUFFICIENT_BUFFER)) {
        *length = capacity + 1;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    if (capacity < size) {
        *length = size;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    memcpy(buffer, data, size);
    if (lie & LIE_NO_NUL) /* a "string" without any terminator */
        memset(buffer, 'A', capacity);
    if (lie & LIE_LENGTH_UNCHANGED)
        return SCARD_S_SUCCESS;
    if (lie & LIE_LENGTH_HUGE)
        *length = (DWORD)0xFFFFFFFFu;
    else if (lie & LIE_LENGTH_PLUS_ONE)
        *length = capacity + 1;
    else
        *length = size;
    return SCARD_S_SUCCESS;
}

static LONG status_only(void)
{
    counters[COUNT_CALLS]++;
    return programmed ? program_rv : SCARD_S_SUCCESS;
}

STUB_API LONG SCardEstablishContext(DWORD dwScope, LPCVOID pvReserved1,
                                    LPCVOID pvReserved2,
                                    LPSCARDCONTEXT phContext)
{
    (void)dwScope; (void)pvReserved1; (void)pvReserved2;
    if (phContext == NULL)
        return SCARD_E_INVALID_PARAMETER;
    *phContext = STUB_CONTEXT;
    return status_only();
}

STUB_API LONG SCardReleaseContext(SCARDCONTEXT hContext)
{
    (void)hContext;
    return status_only();
}

STUB_API LONG SCardIsValidContext(SCARDCONTEXT hContext)
{
    (void)hContext;
    return status_only();
}

/* A multi-string's length, final NUL included. */
static DWORD multistring_length(const char *text)
{
    const char *p = text;
    while (*p)
        p += strlen(p) + 1;
    return (DWORD)(p - text + 1);
}

static LONG list(const char *filter, LPSTR out, LPDWORD length)
{
    static const char readers[] = "pyscard fuzz stub 00 00\0"
                                  "pyscard fuzz stub 01 00\0";
    if (programmed)
        return give(payload, (DWORD)payload_length, out, length);
    if (filter != NULL)
        return give(filter, multistring_length(filter), out, length);
    return give(readers, sizeof readers, out, length);
}

STUB_API LONG SCardListReaders(SCARDCONTEXT hContext, LPCSTR mszGroups,
                               LPSTR mszReaders, LPDWORD pcchReaders)
{
    (void)hContext;
    return list(mszGroups, mszReaders, pcchReaders);
}

STUB_API LONG SCardListReaderGroups(SCARDCONTEXT hContext, LPSTR mszGroups,
                                    LPDWORD pcchGroups)
{
    (void)hContext;
    return list("SCard$DefaultReaders\0", mszGroups, pcchGroups);
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
    (void)hContext; (void)dwShareMode;
    if (szReader == NULL || phCard == NULL || pdwActiveProtocol == NULL)
        return SCARD_E_INVALID_PARAMETER;
    /* Remembered for SCardStatus: the reader name round trip. */
    snprintf(connected_reader, sizeof connected_reader, "%s", szReader);
    *phCard = STUB_CARD;
    *pdwActiveProtocol = (dwPreferredProtocols & SCARD_PROTOCOL_T1)
                             ? SCARD_PROTOCOL_T1
                             : SCARD_PROTOCOL_T0;
    return status_only();
}

STUB_API LONG SCardReconnect(SCARDHANDLE hCard, DWORD dwShareMode,
                             DWORD dwPreferredProtocols,
                             DWORD dwInitialization, LPDWORD pdwActiveProtocol)
{
    (void)hCard; (void)dwShareMode; (void)dwInitialization;
    if (pdwActiveProtocol != NULL)
        *pdwActiveProtocol = dwPreferredProtocols;
    return status_only();
}

STUB_API LONG SCardDisconnect(SCARDHANDLE hCard, DWORD dwDisposition)
{
    (void)hCard; (void)dwDisposition;
    return status_only();
}

STUB_API LONG SCardBeginTransaction(SCARDHANDLE hCard)
{
    (void)hCard;
    return status_only();
}

STUB_API LONG SCardEndTransaction(SCARDHANDLE hCard, DWORD dwDisposition)
{
    (void)hCard; (void)dwDisposition;
    return status_only();
}

STUB_API LONG SCardCancel(SCARDCONTEXT hContext)
{
    (void)hContext;
    return status_only();
}

STUB_API LONG SCardStatus(SCARDHANDLE hCard, LPSTR szReaderName,
                          LPDWORD pcchReaderLen, LPDWORD pdwState,
                          LPDWORD pdwProtocol, LPBYTE pbAtr,
                          LPDWORD pcbAtrLen)
{
    static const BYTE atr[] = {0x3B, 0x87, 0x01, 0x70, 0x79, 0x73,
                               0x63, 0x61, 0x72, 0x64, 0xE8};
    LONG rv;
    (void)hCard;
    if (pcchReaderLen != NULL) {
        if (programmed)
            rv = give(payload, (DWORD)payload_length, szReaderName, pcchReaderLen);
        else
            rv = give(connected_reader, (DWORD)strlen(connected_reader) + 1,
                      szReaderName, pcchReaderLen);
        if (rv != SCARD_S_SUCCESS)
            return rv;
    }
    if (pcbAtrLen != NULL) {
        DWORD n = programmed ? (DWORD)(payload_length < 33 ? payload_length : 33)
                             : (DWORD)sizeof atr;
        rv = give(programmed ? payload : atr, n, pbAtr, pcbAtrLen);
        if (rv != SCARD_S_SUCCESS)
            return rv;
    }
    if (pdwState != NULL)
        *pdwState = programmed && payload_length >= 4
                        ? (DWORD)payload[0] << 24 | (DWORD)payload[1] << 16 |
                              (DWORD)payload[2] << 8 | payload[3]
                        : SCARD_PRESENT | SCARD_POWERED | SCARD_SPECIFIC;
    if (pdwProtocol != NULL)
        *pdwProtocol = SCARD_PROTOCOL_T1;
    return SCARD_S_SUCCESS;
}

/* Echo: the ATR given stays, the event state is the current state with
 * SCARD_STATE_CHANGED. Programmed: the payload's bytes become the ATRs and
 * event states (ATR length from the payload, capped at rgbAtr's size). */
STUB_API LONG SCardGetStatusChange(SCARDCONTEXT hContext, DWORD dwTimeout,
                                   SCARD_READERSTATE *rgReaderStates,
                                   DWORD cReaders)
{
    DWORD i;
    unsigned lie = active_lies();
    (void)hContext; (void)dwTimeout;
    counters[COUNT_CALLS]++;
    if (rgReaderStates == NULL && cReaders > 0)
        return SCARD_E_INVALID_PARAMETER;
    for (i = 0; i < cReaders; i++) {
        SCARD_READERSTATE *s = &rgReaderStates[i];
        if (s->szReader == NULL)
            return SCARD_E_INVALID_PARAMETER;
        (void)strlen(s->szReader); /* ASan: the name must be readable */
        s->dwEventState = (s->dwCurrentState & ~(DWORD)0xFFFF0000u) |
                          SCARD_STATE_CHANGED;
        if (programmed) {
            size_t n = payload_length > 0 ? payload[0] : 0;
            if (n > sizeof s->rgbAtr)
                n = sizeof s->rgbAtr;
            if (n > payload_length)
                n = payload_length;
            memcpy(s->rgbAtr, payload, n);
            s->cbAtr = (DWORD)n;
            s->dwEventState ^= payload_length > 1 ? payload[1] : 0;
        }
        if (lie & LIE_ATR_LENGTH_HUGE)
            s->cbAtr = (DWORD)0xFFFFFFFFu;
        else if (lie & LIE_LENGTH_PLUS_ONE)
            s->cbAtr = sizeof s->rgbAtr + 1;
    }
    return programmed ? program_rv : SCARD_S_SUCCESS;
}

STUB_API LONG SCardControl(SCARDHANDLE hCard, DWORD dwControlCode,
                           LPCVOID pbSendBuffer, DWORD cbSendLength,
                           LPVOID pbRecvBuffer, DWORD cbRecvLength,
                           LPDWORD lpBytesReturned)
{
    DWORD length = cbRecvLength;
    LONG rv;
    (void)hCard; (void)dwControlCode;
    if (lpBytesReturned == NULL || (cbSendLength > 0 && pbSendBuffer == NULL))
        return SCARD_E_INVALID_PARAMETER;
    rv = programmed ? give(payload, (DWORD)payload_length, pbRecvBuffer, &length)
                    : give(pbSendBuffer, cbSendLength, pbRecvBuffer, &length);
    *lpBytesReturned = length;
    return rv;
}

/* Echo: the APDU then 90 00. Counts what reaches the library. */
STUB_API LONG SCardTransmit(SCARDHANDLE hCard,
                            const SCARD_IO_REQUEST *pioSendPci,
                            LPCBYTE pbSendBuffer, DWORD cbSendLength,
                            SCARD_IO_REQUEST *pioRecvPci, LPBYTE pbRecvBuffer,
                            LPDWORD pcbRecvLength)
{
    static unsigned char echo[70000];
    (void)hCard; (void)pioRecvPci;
    counters[COUNT_LAST_SEND_LENGTH] = (long)cbSendLength;
    if (cbSendLength == 0)
        counters[COUNT_EMPTY_TRANSMITS]++;
    if (pioSendPci == NULL || (pbSendBuffer == NULL && cbSendLength > 0) ||
        pbRecvBuffer == NULL || pcbRecvLength == NULL ||
        cbSendLength > sizeof echo - 2)
        return SCARD_E_INVALID_PARAMETER;
    if (programmed)
        return give(payload, (DWORD)payload_length, pbRecvBuffer, pcbRecvLength);
    if (cbSendLength > 0)
        memcpy(echo, pbSendBuffer, cbSendLength);
    echo[cbSendLength] = 0x90;
    echo[cbSendLength + 1] = 0x00;
    return give(echo, cbSendLength + 2, pbRecvBuffer, pcbRecvLength);
}

STUB_API LONG SCardGetAttrib(SCARDHANDLE hCard, DWORD dwAttrId,
                             LPBYTE pbAttr, LPDWORD pcbAttrLen)
{
    (void)hCard; (void)dwAttrId;
    if (programmed)
        return give(payload, (DWORD)payload_length, pbAttr, pcbAttrLen);
    return give(stored_attr, (DWORD)stored_attr_length, pbAttr, pcbAttrLen);
}

STUB_API LONG SCardSetAttrib(SCARDHANDLE hCard, DWORD dwAttrId,
                             LPCBYTE pbAttr, DWORD cbAttrLen)
{
    (void)hCard; (void)dwAttrId;
    if (cbAttrLen > sizeof stored_attr || (pbAttr == NULL && cbAttrLen > 0))
        return SCARD_E_INVALID_PARAMETER;
    if (cbAttrLen > 0)
        memcpy(stored_attr, pbAttr, cbAttrLen);
    stored_attr_length = cbAttrLen;
    return status_only();
}

STUB_API const char *pcsc_stringify_error(const LONG pcscError)
{
    static __thread char text[48];
    if (active_lies() & LIE_NULL_TEXT)
        return NULL;
    if (pcscError == SCARD_S_SUCCESS)
        return "Command successful.";
    snprintf(text, sizeof text, "Stub error 0x%08lX",
             (unsigned long)(DWORD)pcscError);
    return text;
}
