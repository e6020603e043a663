/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A PC/SC library that breaks the rules, for the memory-safety tests:
 * the benchmark stub (bench/stub/pcsc_stub.c) with SCardStatus replaced
 * by one that lies about the lengths it returns, as a faulty driver or
 * a hostile library could. PYSCARD_TEST_LIE selects the lie:
 *
 *   name-too-long   fills the whole reader-name buffer without a NUL and
 *                   reports a length 5000 bytes beyond it;
 *   atr-unchanged   writes no ATR and leaves the ATR length as given.
 *
 * Without PYSCARD_TEST_LIE it answers as the stub does.
 */
#include <stdlib.h>
#include <string.h>

#define SCardStatus stub_honest_SCardStatus
#include "../../../bench/stub/pcsc_stub.c"
#undef SCardStatus

STUB_API LONG SCardStatus(SCARDHANDLE hCard, LPSTR szReaderName,
                          LPDWORD pcchReaderLen, LPDWORD pdwState,
                          LPDWORD pdwProtocol, LPBYTE pbAtr,
                          LPDWORD pcbAtrLen);

STUB_API LONG SCardStatus(SCARDHANDLE hCard, LPSTR szReaderName,
                          LPDWORD pcchReaderLen, LPDWORD pdwState,
                          LPDWORD pdwProtocol, LPBYTE pbAtr,
                          LPDWORD pcbAtrLen)
{
    const char *lie = getenv("PYSCARD_TEST_LIE");

    if (lie != NULL && strcmp(lie, "name-too-long") == 0 &&
        szReaderName != NULL && pcchReaderLen != NULL) {
        memset(szReaderName, 'A', *pcchReaderLen);
        *pcchReaderLen += 5000;
        if (pdwState != NULL)
            *pdwState = SCARD_PRESENT;
        if (pdwProtocol != NULL)
            *pdwProtocol = SCARD_PROTOCOL_T1;
        if (pcbAtrLen != NULL)
            *pcbAtrLen = 0;
        return SCARD_S_SUCCESS;
    }
    if (lie != NULL && strcmp(lie, "atr-unchanged") == 0) {
        LONG rv = stub_honest_SCardStatus(hCard, szReaderName, pcchReaderLen,
                                          pdwState, pdwProtocol, NULL, NULL);
        (void)pbAtr;
        (void)pcbAtrLen; /* neither written nor updated */
        return rv;
    }
    return stub_honest_SCardStatus(hCard, szReaderName, pcchReaderLen, pdwState,
                                   pdwProtocol, pbAtr, pcbAtrLen);
}
