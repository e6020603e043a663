/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The C floor of the real-stack transmit figure: SCardTransmit in a loop
 * through the real libpcsclite, pcscd, vpcd and the emulated card, with
 * nothing of Python on the client side. A Python binding can only add to
 * this time; the figure is how much.
 *
 * usage: transmit_floor READER
 * Connects to READER (on the daemon PCSCLITE_CSOCK_NAME points to), prints
 * {"ready": true}, then for each line N read from stdin sends the same
 * 5-byte APDU as the Python workers N times and prints
 * {"per_op": [seconds per transmit]}. Served this way, the orchestrator can
 * interleave short batches of C, pyscard and ours, so all three see the
 * same load on a shared machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <winscard.h>

static const BYTE apdu[] = {0x00, 0xA4, 0x04, 0x00, 0x00};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what, LONG rv)
{
    fprintf(stderr, "transmit_floor: %s: %s (0x%08lX)\n", what,
            pcsc_stringify_error(rv), (unsigned long)(DWORD)rv);
    return 1;
}

/* count transmits; 0 on success, the PC/SC error otherwise. */
static LONG batch(SCARDHANDLE card, const SCARD_IO_REQUEST *pci, long count)
{
    BYTE response[258];
    DWORD length;
    LONG rv;
    long i;

    for (i = 0; i < count; i++) {
        length = sizeof response;
        rv = SCardTransmit(card, pci, apdu, sizeof apdu, NULL, response,
                           &length);
        if (rv != SCARD_S_SUCCESS)
            return rv;
        if (length < 2 || response[length - 2] != 0x90)
            return SCARD_F_UNKNOWN_ERROR;
    }
    return SCARD_S_SUCCESS;
}

int main(int argc, char **argv)
{
    SCARDCONTEXT context;
    SCARDHANDLE card;
    DWORD protocol;
    const SCARD_IO_REQUEST *pci;
    char line[64];
    LONG rv;

    if (argc != 2) {
        fprintf(stderr, "usage: %s READER\n", argv[0]);
        return 2;
    }
    rv = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    if (rv != SCARD_S_SUCCESS)
        return fail("SCardEstablishContext", rv);
    rv = SCardConnect(context, argv[1], SCARD_SHARE_SHARED,
                      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS)
        return fail("SCardConnect", rv);
    pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    rv = batch(card, pci, 20); /* warm up, as the Python workers do */
    if (rv != SCARD_S_SUCCESS)
        return fail("SCardTransmit", rv);
    printf("{\"ready\": true}\n");
    fflush(stdout);

    while (fgets(line, sizeof line, stdin) != NULL) {
        long count = strtol(line, NULL, 10);
        double start;
        if (count <= 0)
            break;
        start = now();
        rv = batch(card, pci, count);
        if (rv != SCARD_S_SUCCESS)
            return fail("SCardTransmit", rv);
        printf("{\"per_op\": [%.9e]}\n", (now() - start) / (double)count);
        fflush(stdout);
    }
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(context);
    return 0;
}
