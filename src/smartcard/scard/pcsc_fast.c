/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The calls on every application's hot path (SCardTransmit and its bytes
 * twin SCardTransmitBytes, SCardStatus, SCardGetStatusChange), bound by
 * hand with METH_FASTCALL. They stay as mechanical as the SWIG wrappers:
 * convert, call, convert back; no ISO 7816 here.
 *
 * Why not SWIG for these: a SWIG wrapper is METH_VARARGS, so every call
 * packs its arguments into a tuple and unpacks them again, and its output
 * typemaps grow the result list one item at a time. Here arguments come
 * as a C array, buffers live on the C stack and each result is built at
 * its final size. Conversions and the PC/SC calls themselves are the same
 * code the SWIG wrappers use (pcsc_convert.c, pcsc_calls.c). */
#include "pcsc_fast.h"
#include "pcsc_calls.h"
#include <string.h>

static int expect_arguments(const char *name, Py_ssize_t given, Py_ssize_t wanted,
                            const char *signature)
{
    if (given == wanted)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s%s takes %zd arguments (%zd given)", name,
                 signature, wanted, given);
    return -1;
}

/* The response buffer of a transmit. A transmit cannot be retried with a
 * bigger buffer (the card has executed the command), so every answer must
 * fit: PCSC_MAX_BUFFER bytes, too much for the C stack of a thread made
 * with threading.stack_size(32768). One heap buffer is kept for reuse;
 * it is taken and given back with the GIL held, which serialises both, and
 * a call made while another thread holds it gets a buffer of its own.
 * Between calls the kept buffer is all zeros, so a library that reports a
 * length without writing the bytes returns zeros, never an earlier card's
 * answer. */
static BYTE *spare_response_buffer = NULL;

static BYTE *response_buffer_take(void)
{
    BYTE *buffer = spare_response_buffer;

    if (buffer != NULL) {
        spare_response_buffer = NULL;
        return buffer;
    }
    buffer = (BYTE *)PyMem_Calloc(1, PCSC_MAX_BUFFER);
    if (buffer == NULL)
        PyErr_NoMemory();
    return buffer;
}

/* Zero what the call may have written: the answer's length after a
 * success, everything after a failure (a library may fill the buffer and
 * then report an error). */
static void response_buffer_give(BYTE *buffer, LONG rv, DWORD length)
{
    memset(buffer, 0, rv == SCARD_S_SUCCESS ? length : PCSC_MAX_BUFFER);
    if (spare_response_buffer == NULL)
        spare_response_buffer = buffer;
    else
        PyMem_Free(buffer);
}

/* Parse (hcard, dwProtocol, apdu) from args and transmit into a buffer
 * from response_buffer_take(). Returns 0 with *rv and *response set (the
 * caller gives response->data back), or -1 with an exception and nothing
 * to give back. labels name the three arguments in error messages. */
static int transmit_from_args(PyObject *const *args, const char *const labels[3],
                              scard_bytes_out *response, LONG *rv)
{
    SCARDHANDLE card;
    DWORD protocol;
    scard_bytes_in command;

    if (scard_handle_parse(args[0], &card, labels[0]) < 0 ||
        scard_dword_parse(args[1], &protocol, labels[1]) < 0 ||
        scard_bytes_in_parse(args[2], &command, labels[2]) < 0)
        return -1;
    response->data = response_buffer_take();
    if (response->data == NULL) {
        scard_bytes_in_release(&command);
        return -1;
    }
    response->length = PCSC_MAX_BUFFER;
    *rv = scard_Transmit(card, protocol, &command, response);
    scard_bytes_in_release(&command);
    if (PyErr_Occurred()) {
        response_buffer_give(response->data, SCARD_F_INTERNAL_ERROR, 0);
        return -1;
    }
    return 0;
}

static const char *const transmit_labels[3] = {
    "SCardTransmit: hcard", "SCardTransmit: dwProtocol", "SCardTransmit: apdu"};
static const char *const transmit_bytes_labels[3] = {
    "SCardTransmitBytes: hcard", "SCardTransmitBytes: dwProtocol", "SCardTransmitBytes: apdu"};

static PyObject *fast_transmit(PyObject *self, PyObject *const *args,
                               Py_ssize_t nargs)
{
    scard_bytes_out response;
    PyObject *data;
    LONG rv;

    (void)self;
    if (expect_arguments("SCardTransmit", nargs, 3, "(hcard, dwProtocol, apdu)") < 0 ||
        transmit_from_args(args, transmit_labels, &response, &rv) < 0)
        return NULL;
    data = scard_list_from_bytes(response.data, response.length);
    response_buffer_give(response.data, rv, response.length);
    return scard_append_output(PyLong_FromLong((long)rv), data);
}

static PyObject *fast_status(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SCARDHANDLE card;
    DWORD state = 0, protocol = 0;
    BYTE atr_storage[MAX_ATR_SIZE + 3];
    scard_bytes_out atr = {atr_storage, sizeof atr_storage};
    scard_text_out reader = {NULL, 0};
    PyObject *result, *items[5];
    LONG rv;
    int i;

    (void)self;
    if (expect_arguments("SCardStatus", nargs, 1, "(hcard)") < 0 ||
        scard_handle_parse(args[0], &card, "SCardStatus: hcard") < 0)
        return NULL;
    /* Zeros, not stack garbage, if the library claims bytes it never wrote. */
    memset(atr_storage, 0, sizeof atr_storage);
    rv = scard_Status(card, &reader, &state, &protocol, &atr);
    if (PyErr_Occurred()) {
        PyMem_Free(reader.data);
        return NULL;
    }
    items[0] = PyLong_FromLong((long)rv);
    items[1] = scard_text_to_python(reader.data, reader.length);
    items[2] = PyLong_FromUnsignedLong((unsigned long)state);
    items[3] = PyLong_FromUnsignedLong((unsigned long)protocol);
    items[4] = scard_list_from_bytes(atr.data, atr.length);
    PyMem_Free(reader.data);
    result = PyList_New(5);
    for (i = 0; i < 5; i++) {
        if (items[i] == NULL || result == NULL) {
            Py_XDECREF(result);
            for (i = 0; i < 5; i++)
                Py_XDECREF(items[i]);
            return NULL;
        }
    }
    for (i = 0; i < 5; i++)
        PyList_SET_ITEM(result, i, items[i]);
    return result;
}

static PyObject *fast_get_status_change(PyObject *self, PyObject *const *args,
                                        Py_ssize_t nargs)
{
    SCARDCONTEXT context;
    DWORD timeout;
    scard_readerstates states;
    PyObject *result = NULL;
    LONG rv;

    (void)self;
    if (expect_arguments("SCardGetStatusChange", nargs, 3,
                         "(hcontext, dwTimeout, readerstatelist)") < 0 ||
        scard_handle_parse(args[0], &context, "SCardGetStatusChange: hcontext") < 0 ||
        scard_dword_parse(args[1], &timeout, "SCardGetStatusChange: dwTimeout") < 0 ||
        scard_readerstates_parse(args[2], &states) < 0)
        return NULL;
    rv = scard_GetStatusChange(context, timeout, &states);
    if (!PyErr_Occurred())
        result = scard_append_output(PyLong_FromLong((long)rv),
                                     scard_readerstates_to_python(&states));
    scard_readerstates_release(&states);
    return result;
}

/* SCardTransmitBytes(hcard, dwProtocol, apdu) -> (hresult, response):
 * SCardTransmit with the answer as bytes, in a tuple, for callers that
 * work in bytes (the new card API). Nothing more: what the answer means
 * (61xx, 6Cxx...) is for smartcard.iso7816.transport to decide. */
static PyObject *fast_transmit_bytes(PyObject *self, PyObject *const *args,
                                     Py_ssize_t nargs)
{
    scard_bytes_out response;
    PyObject *code, *data, *result;
    LONG rv;

    (void)self;
    if (expect_arguments("SCardTransmitBytes", nargs, 3, "(hcard, dwProtocol, apdu)") < 0 ||
        transmit_from_args(args, transmit_bytes_labels, &response, &rv) < 0)
        return NULL;
    data = PyBytes_FromStringAndSize((const char *)response.data,
                                     (Py_ssize_t)response.length);
    response_buffer_give(response.data, rv, response.length);
    code = PyLong_FromLong((long)rv);
    if (data == NULL || code == NULL) {
        Py_XDECREF(data);
        Py_XDECREF(code);
        return NULL;
    }
    result = PyTuple_New(2);
    if (result == NULL) {
        Py_DECREF(data);
        Py_DECREF(code);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 0, code);
    PyTuple_SET_ITEM(result, 1, data);
    return result;
}

static PyMethodDef fast_methods[] = {
    {"SCardTransmit", (PyCFunction)(void (*)(void))fast_transmit, METH_FASTCALL,
     "SCardTransmit(hcard, dwProtocol, apdu) -> [hresult, response]\n\n"
     "apdu is a list of ints 0..255 or a bytes-like object; dwProtocol is one of\n"
     "SCARD_PCI_T0, SCARD_PCI_T1, SCARD_PCI_RAW (the protocol numbers)."},
    {"SCardStatus", (PyCFunction)(void (*)(void))fast_status, METH_FASTCALL,
     "SCardStatus(hcard) -> [hresult, readername, dwState, dwProtocol, atr]"},
    {"SCardGetStatusChange", (PyCFunction)(void (*)(void))fast_get_status_change,
     METH_FASTCALL,
     "SCardGetStatusChange(hcontext, dwTimeout, readerstatelist)\n"
     "-> [hresult, [(readername, dwEventState, atr), ...]]\n\n"
     "readerstatelist holds (readername, dwCurrentState) or\n"
     "(readername, dwCurrentState, atr) tuples. Blocks without holding the GIL;\n"
     "SCardCancel(hcontext) from another thread ends the wait."},
    {"SCardTransmitBytes", (PyCFunction)(void (*)(void))fast_transmit_bytes, METH_FASTCALL,
     "SCardTransmitBytes(hcard, dwProtocol, apdu) -> (hresult, response)\n\n"
     "SCardTransmit with the response as bytes (empty when hresult is not\n"
     "SCARD_S_SUCCESS) in a tuple. apdu is a bytes-like object or a list of\n"
     "ints 0..255; an empty apdu is refused with SCARD_E_INVALID_PARAMETER."},
    {NULL, NULL, 0, NULL}};

int pcsc_fast_register(PyObject *module, PyObject *public_names)
{
    PyMethodDef *method;

    if (PyModule_AddFunctions(module, fast_methods) < 0)
        return -1;
    for (method = fast_methods; method->ml_name != NULL; method++) {
        PyObject *name;
        name = PyUnicode_InternFromString(method->ml_name);
        if (name == NULL || PyList_Append(public_names, name) < 0) {
            Py_XDECREF(name);
            return -1;
        }
        Py_DECREF(name);
    }
    return 0;
}
