/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The three calls on every application's hot path (SCardTransmit,
 * SCardStatus, SCardGetStatusChange), bound by hand with METH_FASTCALL.
 *
 * Why not SWIG for these: a SWIG wrapper is METH_VARARGS, so every call
 * packs its arguments into a tuple and unpacks them again, and its output
 * typemaps grow the result list one item at a time. Here arguments come
 * as a C array, buffers live on the C stack and each result is built at
 * its final size. Conversions and the PC/SC calls themselves are the same
 * code the SWIG wrappers use (pcsc_convert.c, pcsc_calls.c). */
#include "pcsc_fast.h"
#include "pcsc_calls.h"

static int expect_arguments(const char *name, Py_ssize_t given, Py_ssize_t wanted,
                            const char *signature)
{
    if (given == wanted)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s%s takes %zd arguments (%zd given)", name,
                 signature, wanted, given);
    return -1;
}

/* Parse (hcard, dwProtocol, apdu) from args and transmit into storage,
 * which must hold PCSC_MAX_BUFFER bytes: a transmit cannot be retried with
 * a bigger buffer (the card has executed the command), so any answer must
 * fit. Returns 0 with *rv and *response set, or -1 with an exception.
 * min_length rejects shorter APDUs before anything is sent; labels name
 * the three arguments in error messages. */
static int transmit_from_args(PyObject *const *args, const char *const labels[3],
                              DWORD min_length, BYTE *storage,
                              scard_bytes_out *response, LONG *rv)
{
    SCARDHANDLE card;
    DWORD protocol;
    scard_bytes_in command;

    if (scard_handle_parse(args[0], &card, labels[0]) < 0 ||
        scard_dword_parse(args[1], &protocol, labels[1]) < 0 ||
        scard_bytes_in_parse(args[2], &command, labels[2]) < 0)
        return -1;
    if (command.length < min_length) {
        PyErr_Format(PyExc_ValueError,
                     "apdu must have at least %u bytes (CLA INS P1 P2), not %u",
                     (unsigned int)min_length, (unsigned int)command.length);
        scard_bytes_in_release(&command);
        return -1;
    }
    response->data = storage;
    response->length = PCSC_MAX_BUFFER;
    *rv = scard_Transmit(card, protocol, &command, response);
    scard_bytes_in_release(&command);
    return PyErr_Occurred() ? -1 : 0;
}

static const char *const transmit_labels[3] = {
    "SCardTransmit: hcard", "SCardTransmit: dwProtocol", "SCardTransmit: apdu"};
static const char *const response_labels[3] = {"transmit: hcard", "transmit: protocol",
                                               "apdu"};

static PyObject *fast_transmit(PyObject *self, PyObject *const *args,
                               Py_ssize_t nargs)
{
    scard_bytes_out response;
    BYTE storage[PCSC_MAX_BUFFER];
    LONG rv;
    PyObject *result, *data;

    (void)self;
    if (expect_arguments("SCardTransmit", nargs, 3, "(hcard, dwProtocol, apdu)") < 0 ||
        transmit_from_args(args, transmit_labels, 0, storage, &response, &rv) < 0)
        return NULL;
    data = scard_list_from_bytes(response.data, response.length);
    result = data ? PyList_New(2) : NULL;
    if (result == NULL) {
        Py_XDECREF(data);
        return NULL;
    }
    PyList_SET_ITEM(result, 0, PyLong_FromLong((long)rv));
    PyList_SET_ITEM(result, 1, data);
    return result;
}

static PyObject *fast_status(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SCARDHANDLE card;
    DWORD state = 0, protocol = 0;
    BYTE atr_storage[MAX_ATR_SIZE + 3];
    scard_bytes_out atr = {atr_storage, sizeof atr_storage};
    scard_text_out reader = {NULL, 0};
    PyObject *result;
    LONG rv;

    (void)self;
    if (expect_arguments("SCardStatus", nargs, 1, "(hcard)") < 0 ||
        scard_handle_parse(args[0], &card, "SCardStatus: hcard") < 0)
        return NULL;
    rv = scard_Status(card, &reader, &state, &protocol, &atr);
    if (PyErr_Occurred()) {
        PyMem_Free(reader.data);
        return NULL;
    }
    result = PyList_New(5);
    if (result != NULL) {
        PyList_SET_ITEM(result, 0, PyLong_FromLong((long)rv));
        PyList_SET_ITEM(result, 1, scard_text_to_python(reader.data, reader.length));
        PyList_SET_ITEM(result, 2, PyLong_FromUnsignedLong((unsigned long)state));
        PyList_SET_ITEM(result, 3, PyLong_FromUnsignedLong((unsigned long)protocol));
        PyList_SET_ITEM(result, 4, scard_list_from_bytes(atr.data, atr.length));
        if (PyErr_Occurred())
            Py_CLEAR(result);
    }
    PyMem_Free(reader.data);
    return result;
}

static PyObject *fast_get_status_change(PyObject *self, PyObject *const *args,
                                        Py_ssize_t nargs)
{
    SCARDCONTEXT context;
    DWORD timeout;
    scard_readerstates states;
    PyObject *result = NULL, *list;
    LONG rv;

    (void)self;
    if (expect_arguments("SCardGetStatusChange", nargs, 3,
                         "(hcontext, dwTimeout, readerstatelist)") < 0 ||
        scard_handle_parse(args[0], &context, "SCardGetStatusChange: hcontext") < 0 ||
        scard_dword_parse(args[1], &timeout, "SCardGetStatusChange: dwTimeout") < 0 ||
        scard_readerstates_parse(args[2], &states) < 0)
        return NULL;
    rv = scard_GetStatusChange(context, timeout, &states);
    if (!PyErr_Occurred()) {
        list = scard_readerstates_to_python(&states);
        result = list ? PyList_New(2) : NULL;
        if (result != NULL) {
            PyList_SET_ITEM(result, 0, PyLong_FromLong((long)rv));
            PyList_SET_ITEM(result, 1, list);
        } else {
            Py_XDECREF(list);
        }
    }
    scard_readerstates_release(&states);
    return result;
}

/* _transmit_response(hcard, dwProtocol, apdu, response_type): the new
 * API's transmit in one step. Returns response_type((data, sw)) built as
 * tuple.__new__ does (response_type must be a tuple subclass of two
 * fields); the result code (an int) when the call failed; or the raw
 * answer as bytes when the caller has more to do with it: shorter than a
 * status word, or 61xx / 6Cxx, which the ISO 7816 transport follows up. */
static PyObject *fast_transmit_response(PyObject *self, PyObject *const *args,
                                        Py_ssize_t nargs)
{
    scard_bytes_out response;
    BYTE storage[PCSC_MAX_BUFFER];
    PyTypeObject *response_type;
    PyObject *fields, *arguments, *result;
    LONG rv;

    (void)self;
    if (expect_arguments("_transmit_response", nargs, 4,
                         "(hcard, dwProtocol, apdu, response_type)") < 0)
        return NULL;
    if (!PyType_Check(args[3]) ||
        !PyType_IsSubtype((PyTypeObject *)args[3], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "_transmit_response: response_type must be a tuple subclass");
        return NULL;
    }
    response_type = (PyTypeObject *)args[3];
    if (transmit_from_args(args, response_labels, 4, storage, &response, &rv) < 0)
        return NULL;
    if (rv != SCARD_S_SUCCESS)
        return PyLong_FromLong((long)rv);
    if (response.length < 2 || response.data[response.length - 2] == 0x61 ||
        response.data[response.length - 2] == 0x6C)
        return PyBytes_FromStringAndSize((const char *)response.data,
                                         (Py_ssize_t)response.length);
    fields = PyTuple_New(2);
    if (fields == NULL)
        return NULL;
    PyTuple_SET_ITEM(fields, 0,
                     PyBytes_FromStringAndSize((const char *)response.data,
                                               (Py_ssize_t)response.length - 2));
    PyTuple_SET_ITEM(fields, 1,
                     PyLong_FromLong((long)(response.data[response.length - 2] << 8 |
                                            response.data[response.length - 1])));
    if (PyTuple_GET_ITEM(fields, 0) == NULL || PyTuple_GET_ITEM(fields, 1) == NULL) {
        Py_DECREF(fields);
        return NULL;
    }
    /* tuple.__new__(response_type, fields): its one argument is the iterable. */
    arguments = PyTuple_Pack(1, fields);
    Py_DECREF(fields);
    if (arguments == NULL)
        return NULL;
    result = PyTuple_Type.tp_new(response_type, arguments, NULL);
    Py_DECREF(arguments);
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
    {"_transmit_response", (PyCFunction)(void (*)(void))fast_transmit_response,
     METH_FASTCALL,
     "_transmit_response(hcard, dwProtocol, apdu, response_type) -> response,\n"
     "result code or bytes: the bytes-first transmit of smartcard.pcsc_card."},
    {NULL, NULL, 0, NULL}};

int pcsc_fast_register(PyObject *module, PyObject *public_names)
{
    PyMethodDef *method;

    if (PyModule_AddFunctions(module, fast_methods) < 0)
        return -1;
    for (method = fast_methods; method->ml_name != NULL; method++) {
        PyObject *name;
        if (method->ml_name[0] == '_')
            continue; /* private helpers stay out of "from scard import *" */
        name = PyUnicode_InternFromString(method->ml_name);
        if (name == NULL || PyList_Append(public_names, name) < 0) {
            Py_XDECREF(name);
            return -1;
        }
        Py_DECREF(name);
    }
    return 0;
}
