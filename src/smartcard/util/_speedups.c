/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * C fast paths for smartcard.util's two busiest helpers. Each handles only
 * the common, well-formed case and returns None otherwise, so that the
 * pure-Python code (which defines the behaviour, errors included) takes
 * over for anything unusual. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

static PyMethodDef methods[] = {
    {"hex_spaced", hex_spaced, METH_O,
     "hex_spaced(list) -> str or None: '3B 87 01' for ints 0..255."},
    {"list_from_hex", list_from_hex, METH_O,
     "list_from_hex(str) -> list or None: byte values of blank-separated hex pairs."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "smartcard.util._speedups",
    "C fast paths for smartcard.util (internal).", -1, methods,
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
