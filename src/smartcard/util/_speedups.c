/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * C fast paths for the library's busiest pure-Python helpers: two of
 * smartcard.util and the final-answer case of the new API's transmit. Each
 * handles only the common, well-formed case and returns None otherwise, so
 * that the pure-Python code (which defines the behaviour, errors included)
 * takes over for anything unusual. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static const char hex_digits[] = "0123456789ABCDEF";
static PyObject *byte_values[256];

/* hex_spaced(list) -> "3B 87 01" for a list of ints 0..255, else None. */
static PyObject *hex_spaced(PyObject *module, PyObject *data)
{
    Py_ssize_t i, n;
    PyObject *text;
    Py_UCS1 *out;

    (void)module;
    if (!PyList_CheckExact(data) || PyList_GET_SIZE(data) == 0)
        Py_RETURN_NONE;
    n = PyList_GET_SIZE(data);
    if (n > (PY_SSIZE_T_MAX - 1) / 3)
        Py_RETURN_NONE;
    text = PyUnicode_New(n * 3 - 1, 127);
    if (text == NULL)
        return NULL;
    out = PyUnicode_1BYTE_DATA(text);
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(data, i);
        long value;
        if (!PyLong_CheckExact(item)) {
            Py_DECREF(text);
            Py_RETURN_NONE;
        }
        value = PyLong_AsLong(item);
        if (value < 0 || value > 255) {
            PyErr_Clear();
            Py_DECREF(text);
            Py_RETURN_NONE;
        }
        if (i > 0)
            *out++ = ' ';
        *out++ = (Py_UCS1)hex_digits[value >> 4];
        *out++ = (Py_UCS1)hex_digits[value & 15];
    }
    return text;
}

/* Digit values for hex characters, BLANK for ASCII whitespace, -1 for
 * anything else; filled at module initialisation. */
#define BLANK (-2)
static signed char char_class[256];

/* list_from_hex(str) -> [0x3B, 0x87] for pairs of hex digits separated by
 * optional ASCII blanks, else None. One pass into a list sized for the
 * most pairs the text can hold, shrunk to the pairs found. */
static PyObject *list_from_hex(PyObject *module, PyObject *text)
{
    Py_ssize_t i, n, count = 0;
    const Py_UCS1 *in;
    PyObject *list;

    (void)module;
    if (!PyUnicode_CheckExact(text) || PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND)
        Py_RETURN_NONE;
    n = PyUnicode_GET_LENGTH(text);
    in = PyUnicode_1BYTE_DATA(text);
    list = PyList_New((n + 1) / 2);
    if (list == NULL)
        return NULL;
    for (i = 0; i < n;) {
        int high = char_class[in[i]], low;
        PyObject *value;
        if (high == BLANK) {
            i++;
            continue;
        }
        if (i + 1 >= n || high < 0 || (low = char_class[in[i + 1]]) < 0) {
            Py_DECREF(list); /* unset slots are NULL: dealloc skips them */
            Py_RETURN_NONE;
        }
        value = byte_values[(high << 4) | low];
        Py_INCREF(value);
        PyList_SET_ITEM(list, count++, value);
        i += 2;
    }
    /* The slots past count were never set: a smaller size is all it takes. */
    Py_SET_SIZE(list, count);
    return list;
}

/* tuple.__new__, which refuses tuple subclasses its allocator cannot build
 * (struct sequences such as time.struct_time keep hidden fields), and the
 * last response type it accepted, which later calls build directly. */
static PyObject *tuple_new_checked = NULL;
static PyObject *accepted_type = NULL;

static PyObject *new_tuple_of(PyObject *type, PyObject *fields)
{
    PyObject *result;

    if (!PyType_Check(type) || !PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type))
        Py_RETURN_NONE;
    if (tuple_new_checked == NULL) {
        tuple_new_checked = PyObject_GetAttrString((PyObject *)&PyTuple_Type, "__new__");
        if (tuple_new_checked == NULL)
            return NULL;
    }
    result = PyObject_CallFunctionObjArgs(tuple_new_checked, type, fields, NULL);
    if (result != NULL && Py_TYPE(result) == (PyTypeObject *)type) {
        Py_INCREF(type);
        Py_XSETREF(accepted_type, type);
    }
    return result;
}

/* final_answer(raw, follow_up_sw1, response_type) ->
 * response_type((raw[:-2], SW1 << 8 | SW2)) when raw is bytes of two bytes
 * or more whose SW1 is not in follow_up_sw1 (bytes); else None. The ISO 7816
 * rules are the caller's: smartcard.iso7816.transport.complete_response. */
static PyObject *final_answer(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *raw, *stop, *fields, *data, *sw, *result;
    const unsigned char *bytes;
    Py_ssize_t n;

    (void)module;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError,
                     "final_answer(raw, follow_up_sw1, response_type) takes 3 arguments "
                     "(%zd given)",
                     nargs);
        return NULL;
    }
    raw = args[0];
    stop = args[1];
    if (!PyBytes_CheckExact(raw) || !PyBytes_CheckExact(stop) || PyBytes_GET_SIZE(raw) < 2)
        Py_RETURN_NONE;
    bytes = (const unsigned char *)PyBytes_AS_STRING(raw);
    n = PyBytes_GET_SIZE(raw);
    if (memchr(PyBytes_AS_STRING(stop), bytes[n - 2], (size_t)PyBytes_GET_SIZE(stop)) != NULL)
        Py_RETURN_NONE;
    data = PyBytes_FromStringAndSize((const char *)bytes, n - 2);
    sw = PyLong_FromLong((long)(bytes[n - 2] << 8 | bytes[n - 1]));
    if (data == NULL || sw == NULL) {
        Py_XDECREF(data);
        Py_XDECREF(sw);
        return NULL;
    }
    if (args[2] == accepted_type) {
        /* What tuple.__new__ does for a subclass, without its argument
         * tuples: allocate the subtype and fill it. */
        result = ((PyTypeObject *)accepted_type)->tp_alloc((PyTypeObject *)accepted_type, 2);
        if (result == NULL) {
            Py_DECREF(data);
            Py_DECREF(sw);
            return NULL;
        }
        PyTuple_SET_ITEM(result, 0, data);
        PyTuple_SET_ITEM(result, 1, sw);
        return result;
    }
    fields = PyTuple_New(2);
    if (fields == NULL) {
        Py_DECREF(data);
        Py_DECREF(sw);
        return NULL;
    }
    PyTuple_SET_ITEM(fields, 0, data);
    PyTuple_SET_ITEM(fields, 1, sw);
    result = new_tuple_of(args[2], fields);
    Py_DECREF(fields);
    return result;
}

static PyMethodDef methods[] = {
    {"final_answer", (PyCFunction)(void (*)(void))final_answer, METH_FASTCALL,
     "final_answer(raw, follow_up_sw1, response_type) -> response or None:\n"
     "response_type((data, sw)) for an answer whose SW1 needs no follow-up."},
    {"hex_spaced", hex_spaced, METH_O,
     "hex_spaced(list) -> str or None: '3B 87 01' for ints 0..255."},
    {"list_from_hex", list_from_hex, METH_O,
     "list_from_hex(str) -> list or None: byte values of blank-separated hex pairs."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "smartcard.util._speedups",
    "C fast paths for smartcard.util and smartcard.iso7816 (internal).", -1, methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__speedups(void)
{
    int i;

    for (i = 0; i < 256; i++) {
        byte_values[i] = PyLong_FromLong(i);
        if (byte_values[i] == NULL)
            return NULL;
        char_class[i] = -1;
    }
    for (i = 0; i < 10; i++)
        char_class['0' + i] = (signed char)i;
    for (i = 0; i < 6; i++)
        char_class['a' + i] = char_class['A' + i] = (signed char)(10 + i);
    char_class[' '] = char_class['\t'] = char_class['\n'] = BLANK;
    char_class['\r'] = char_class['\v'] = char_class['\f'] = BLANK;
    return PyModule_Create(&module_def);
}
