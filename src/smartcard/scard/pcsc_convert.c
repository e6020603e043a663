/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pcsc_convert.h"
#include <string.h>

/* ---- byte buffers ---------------------------------------------------- */

static int byte_from_item(PyObject *item, BYTE *out, const char *what,
                          Py_ssize_t index)
{
    long value;

    if (!PyLong_Check(item)) {
        PyErr_Format(PyExc_TypeError,
                     "%s: item %zd is %.80s, expected an int 0..255", what,
                     index, Py_TYPE(item)->tp_name);
        return -1;
    }
    value = PyLong_AsLong(item);
    if (value < 0 || value > 255) {
        if (value == -1 && PyErr_Occurred())
            PyErr_Clear();
        PyErr_Format(PyExc_ValueError,
                     "%s: item %zd is %R, outside the byte range 0..255", what,
                     index, item);
        return -1;
    }
    *out = (BYTE)value;
    return 0;
}

static int check_length(Py_ssize_t length, const char *what)
{
    if (length > PCSC_MAX_BUFFER) {
        PyErr_Format(PyExc_ValueError,
                     "%s: %zd bytes is longer than the %d bytes PC/SC can carry",
                     what, length, PCSC_MAX_BUFFER);
        return -1;
    }
    return 0;
}

int scard_bytes_in_parse(PyObject *obj, scard_bytes_in *out, const char *what)
{
    Py_ssize_t i, length;
    PyObject **items;
    BYTE *dest;

    out->owned = NULL;
    out->has_view = 0;
    if (PyList_Check(obj) || PyTuple_Check(obj)) {
        length = PySequence_Fast_GET_SIZE(obj);
        if (check_length(length, what) < 0)
            return -1;
        dest = out->small;
        if ((size_t)length > sizeof out->small) {
            dest = out->owned = (BYTE *)PyMem_Malloc((size_t)length);
            if (dest == NULL) {
                PyErr_NoMemory();
                return -1;
            }
        }
        items = PySequence_Fast_ITEMS(obj);
        for (i = 0; i < length; i++) {
            /* Fast path for the common case: a small exact int. */
            PyObject *item = items[i];
            if (PyLong_CheckExact(item)) {
                long v = PyLong_AsLong(item);
                if (v >= 0 && v <= 255) {
                    dest[i] = (BYTE)v;
                    continue;
                }
                if (v == -1 && PyErr_Occurred())
                    PyErr_Clear(); /* too big for a long: reported below */
            }
            if (byte_from_item(item, &dest[i], what, i) < 0) {
                scard_bytes_in_release(out);
                return -1;
            }
        }
        out->data = dest;
        out->length = (DWORD)length;
        return 0;
    }
    if (PyObject_CheckBuffer(obj) && !PyUnicode_Check(obj)) {
        if (PyObject_GetBuffer(obj, &out->view, PyBUF_SIMPLE) < 0) {
            /* A non-contiguous view: say which argument, as a TypeError. */
            if (PyErr_ExceptionMatches(PyExc_BufferError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError,
                             "%s must be a contiguous bytes-like object", what);
            }
            return -1;
        }
        out->has_view = 1;
        if (check_length(out->view.len, what) < 0) {
            scard_bytes_in_release(out);
            return -1;
        }
        out->data = (const BYTE *)out->view.buf;
        out->length = (DWORD)out->view.len;
        return 0;
    }
    PyErr_Format(PyExc_TypeError,
                 "%s must be a list of ints 0..255 or a bytes-like object, "
                 "not %.80s",
                 what, Py_TYPE(obj)->tp_name);
    return -1;
}

void scard_bytes_in_release(scard_bytes_in *buf)
{
    if (buf->owned != NULL) {
        PyMem_Free(buf->owned);
        buf->owned = NULL;
    }
    if (buf->has_view) {
        PyBuffer_Release(&buf->view);
        buf->has_view = 0;
    }
}

int scard_bytes_out_alloc(scard_bytes_out *buf, DWORD capacity)
{
    /* Zeroed: a library that reports bytes it never wrote gives zeros. */
    buf->data = (BYTE *)PyMem_Calloc(1, capacity ? capacity : 1);
    buf->length = capacity;
    if (buf->data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

void scard_bytes_out_release(scard_bytes_out *buf)
{
    PyMem_Free(buf->data);
    buf->data = NULL;
}

/* The int objects 0..255, looked up instead of converted for every byte. */
static PyObject *byte_values[256];

int scard_convert_init(void)
{
    int i;

    for (i = 0; i < 256; i++) {
        byte_values[i] = PyLong_FromLong(i);
        if (byte_values[i] == NULL)
            return -1;
    }
    return 0;
}

PyObject *scard_list_from_bytes(const BYTE *data, DWORD length)
{
    PyObject *list = PyList_New((Py_ssize_t)length);
    DWORD i;

    if (list == NULL)
        return NULL;
    for (i = 0; i < length; i++) {
        PyObject *value = byte_values[data[i]];
        Py_INCREF(value);
        PyList_SET_ITEM(list, i, value);
    }
    return list;
}

/* ---- numbers and handles --------------------------------------------- */

int scard_dword_parse(PyObject *obj, DWORD *out, const char *what)
{
    long long value;
    int overflow;

    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int, not %.80s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    value = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (value == -1 && PyErr_Occurred())
        return -1;
    if (overflow || value < -0x80000000LL || value > 0xFFFFFFFFLL) {
        PyErr_Format(PyExc_OverflowError,
                     "%s: %R does not fit in a 32-bit PC/SC DWORD", what, obj);
        return -1;
    }
    /* Keep the low 32 bits: -1 becomes 0xFFFFFFFF, as in C. */
    *out = (DWORD)((unsigned long long)value & 0xFFFFFFFFULL);
    return 0;
}

int scard_handle_parse(PyObject *obj, SCARDHANDLE *out, const char *what)
{
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int handle, not %.80s",
                     what, Py_TYPE(obj)->tp_name);
        return -1;
    }
#if defined(PCSC_HANDLE_IS_UNSIGNED)
    {
        unsigned long long v = PyLong_AsUnsignedLongLong(obj);
        if (v == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Format(PyExc_OverflowError, "%s: %R is not a valid handle",
                         what, obj);
            return -1;
        }
        *out = (SCARDHANDLE)v;
    }
#else
    {
        long long v = PyLong_AsLongLong(obj);
        if ((v == -1 && PyErr_Occurred()) || (SCARDHANDLE)v != v) {
            PyErr_Clear();
            PyErr_Format(PyExc_OverflowError, "%s: %R is not a valid handle",
                         what, obj);
            return -1;
        }
        *out = (SCARDHANDLE)v;
    }
#endif
    return 0;
}

PyObject *scard_handle_to_python(SCARDHANDLE handle)
{
#if defined(PCSC_HANDLE_IS_UNSIGNED)
    return PyLong_FromUnsignedLongLong((unsigned long long)handle);
#else
    return PyLong_FromLongLong((long long)handle);
#endif
}

/* ---- strings ----------------------------------------------------------- */

/* A str that UTF-8 cannot carry (a lone surrogate): say which argument,
 * keeping the codec's error as the cause. index < 0: not a list item. */
static int not_utf8(const char *what, Py_ssize_t index)
{
    PyObject *type, *value, *traceback;

    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (index < 0)
        PyErr_Format(PyExc_ValueError, "%s cannot be encoded as UTF-8", what);
    else
        PyErr_Format(PyExc_ValueError, "%s: item %zd cannot be encoded as UTF-8",
                     what, index);
    if (value != NULL) {
        PyObject *ntype, *nvalue, *ntraceback;
        PyErr_Fetch(&ntype, &nvalue, &ntraceback);
        PyErr_NormalizeException(&ntype, &nvalue, &ntraceback);
        PyException_SetCause(nvalue, value); /* steals value */
        Py_INCREF(value);
        PyException_SetContext(nvalue, value); /* steals value */
        PyErr_Restore(ntype, nvalue, ntraceback);
    }
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return -1;
}

int scard_string_parse(PyObject *obj, const char **out, PyObject **holder,
                       const char *what)
{
    Py_ssize_t size;
    const char *utf8;

    *holder = NULL;
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str, not %.80s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    utf8 = PyUnicode_AsUTF8AndSize(obj, &size);
    if (utf8 == NULL)
        return not_utf8(what, -1);
    if ((Py_ssize_t)strlen(utf8) != size) {
        PyErr_Format(PyExc_ValueError, "%s must not contain NUL characters",
                     what);
        return -1;
    }
    /* The UTF-8 form is cached inside the str object itself. */
    Py_INCREF(obj);
    *holder = obj;
    *out = utf8;
    return 0;
}

int scard_multistring_parse(PyObject *obj, char **out, const char *what)
{
    Py_ssize_t i, count, total = 1;
    char *cursor;

    *out = NULL;
    if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a list of str, not %.80s",
                     what, Py_TYPE(obj)->tp_name);
        return -1;
    }
    count = PySequence_Fast_GET_SIZE(obj);
    if (count == 0)
        return 0;
    for (i = 0; i < count; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(obj, i);
        Py_ssize_t size;
        const char *utf8;
        if (!PyUnicode_Check(item)) {
            PyErr_Format(PyExc_TypeError, "%s: item %zd is %.80s, expected str",
                         what, i, Py_TYPE(item)->tp_name);
            return -1;
        }
        utf8 = PyUnicode_AsUTF8AndSize(item, &size);
        if (utf8 == NULL)
            return not_utf8(what, i);
        if ((Py_ssize_t)strlen(utf8) != size || size == 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s: item %zd must be a non-empty str without NUL",
                         what, i);
            return -1;
        }
        total += size + 1;
    }
    *out = cursor = (char *)PyMem_Malloc((size_t)total);
    if (cursor == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < count; i++) {
        Py_ssize_t size;
        const char *utf8 =
            PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(obj, i), &size);
        memcpy(cursor, utf8, (size_t)size + 1);
        cursor += size + 1;
    }
    *cursor = '\0';
    return 0;
}

PyObject *scard_list_from_multistring(const char *data, DWORD length)
{
    PyObject *list = PyList_New(0);
    DWORD start = 0, i;

    if (list == NULL)
        return NULL;
    for (i = 0; data != NULL && i < length; i++) {
        if (data[i] != '\0')
            continue;
        if (i > start) {
            PyObject *name = PyUnicode_DecodeUTF8(data + start,
                                                  (Py_ssize_t)(i - start),
                                                  "surrogateescape");
            if (name == NULL || PyList_Append(list, name) < 0) {
                Py_XDECREF(name);
                Py_DECREF(list);
                return NULL;
            }
            Py_DECREF(name);
        }
        start = i + 1;
    }
    return list;
}

/* ---- reader states ----------------------------------------------------- */

static int readerstate_from_tuple(PyObject *item, Py_ssize_t index,
                                  pcsc_readerstate *state, PyObject **name)
{
    Py_ssize_t n;
    PyObject *reader;
    scard_bytes_in atr_bytes;

    if (!PyTuple_Check(item) && !PyList_Check(item)) {
        PyErr_Format(PyExc_TypeError,
                     "readerstatelist: item %zd is %.80s, expected a tuple "
                     "(readername, state) or (readername, state, atr)",
                     index, Py_TYPE(item)->tp_name);
        return -1;
    }
    n = PySequence_Fast_GET_SIZE(item);
    if (n != 2 && n != 3) {
        PyErr_Format(PyExc_ValueError,
                     "readerstatelist: item %zd has %zd members, expected "
                     "(readername, state) or (readername, state, atr)",
                     index, n);
        return -1;
    }
    reader = PySequence_Fast_GET_ITEM(item, 0);
    if (!PyUnicode_Check(reader)) {
        PyErr_Format(PyExc_TypeError,
                     "readerstatelist: item %zd: reader name must be a str, "
                     "not %.80s",
                     index, Py_TYPE(reader)->tp_name);
        return -1;
    }
    /* The UTF-8 form is cached in the str, which we hold until released. */
    state->szReader = PyUnicode_AsUTF8(reader);
    if (state->szReader == NULL)
        return not_utf8("readerstatelist: reader name", index);
    Py_INCREF(reader);
    *name = reader;
    if (scard_dword_parse(PySequence_Fast_GET_ITEM(item, 1),
                          &state->dwCurrentState,
                          "readerstatelist: current state") < 0)
        return -1;
    if (n == 3) {
        /* Held: a bytes-like ATR may run Python code (__buffer__, 3.12+)
         * that takes it out of a list item, which would free it. */
        PyObject *atr = PySequence_Fast_GET_ITEM(item, 2);
        int failed;
        Py_INCREF(atr);
        failed = scard_bytes_in_parse(atr, &atr_bytes, "readerstatelist: atr") < 0;
        Py_DECREF(atr);
        if (failed)
            return -1;
        if (atr_bytes.length > sizeof state->rgbAtr) {
            scard_bytes_in_release(&atr_bytes);
            PyErr_Format(PyExc_ValueError,
                         "readerstatelist: item %zd: an ATR has at most %d bytes",
                         index, (int)sizeof state->rgbAtr);
            return -1;
        }
        memcpy(state->rgbAtr, atr_bytes.data, atr_bytes.length);
        state->cbAtr = atr_bytes.length;
        scard_bytes_in_release(&atr_bytes);
    }
    return 0;
}

int scard_readerstates_parse(PyObject *obj, scard_readerstates *out)
{
    Py_ssize_t i, count;

    out->count = 0;
    out->states = out->inline_states;
    out->names = out->inline_names;
    if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "readerstatelist must be a list of tuples, not %.80s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    count = PySequence_Fast_GET_SIZE(obj);
    if (count > 4096) {
        PyErr_Format(PyExc_ValueError,
                     "readerstatelist: %zd readers is more than PC/SC handles",
                     count);
        return -1;
    }
    if (count > SCARD_INLINE_READERS) {
        out->states = (pcsc_readerstate *)PyMem_Calloc((size_t)count,
                                                       sizeof(pcsc_readerstate));
        out->names = (PyObject **)PyMem_Calloc((size_t)count, sizeof(PyObject *));
        if (out->states == NULL || out->names == NULL) {
            scard_readerstates_release(out);
            PyErr_NoMemory();
            return -1;
        }
    } else {
        memset(out->inline_states, 0, (size_t)count * sizeof(pcsc_readerstate));
        memset(out->inline_names, 0, (size_t)count * sizeof(PyObject *));
    }
    out->count = (DWORD)count;
    for (i = 0; i < count; i++) {
        PyObject *item;
        int failed;
        /* Converting an ATR may run Python code that changes the list:
         * look at its size again, and hold the item while converting it. */
        if (i >= PySequence_Fast_GET_SIZE(obj)) {
            PyErr_SetString(PyExc_ValueError,
                            "readerstatelist changed size during the call");
            scard_readerstates_release(out);
            return -1;
        }
        item = PySequence_Fast_GET_ITEM(obj, i);
        Py_INCREF(item);
        failed = readerstate_from_tuple(item, i, &out->states[i], &out->names[i]) < 0;
        Py_DECREF(item);
        if (failed) {
            scard_readerstates_release(out);
            return -1;
        }
    }
    return 0;
}

PyObject *scard_readerstates_to_python(const scard_readerstates *rs)
{
    PyObject *list = PyList_New((Py_ssize_t)rs->count);
    DWORD i;

    if (list == NULL)
        return NULL;
    for (i = 0; i < rs->count; i++) {
        const pcsc_readerstate *s = &rs->states[i];
        DWORD atr_length = s->cbAtr <= sizeof s->rgbAtr ? s->cbAtr : 0;
        PyObject *entry = PyTuple_New(3);
        if (entry == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        Py_INCREF(rs->names[i]);
        PyTuple_SET_ITEM(entry, 0, rs->names[i]);
        PyTuple_SET_ITEM(entry, 1, PyLong_FromUnsignedLong((unsigned long)s->dwEventState));
        PyTuple_SET_ITEM(entry, 2, scard_list_from_bytes(s->rgbAtr, atr_length));
        PyList_SET_ITEM(list, i, entry);
        if (PyTuple_GET_ITEM(entry, 1) == NULL || PyTuple_GET_ITEM(entry, 2) == NULL) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

void scard_readerstates_release(scard_readerstates *rs)
{
    DWORD i;

    for (i = 0; i < rs->count; i++)
        Py_XDECREF(rs->names[i]);
    if (rs->states != rs->inline_states)
        PyMem_Free(rs->states);
    if (rs->names != rs->inline_names)
        PyMem_Free(rs->names);
    rs->states = rs->inline_states;
    rs->names = rs->inline_names;
    rs->count = 0;
}

/* ---- results ------------------------------------------------------------- */

PyObject *scard_append_output(PyObject *result, PyObject *obj)
{
    PyObject *list;

    /* NULL in either place is a failed conversion (out of memory): pass
     * the exception on rather than return a list holding NULL. */
    if (obj == NULL || result == NULL) {
        Py_XDECREF(result);
        Py_XDECREF(obj);
        return NULL;
    }
    if (PyList_CheckExact(result)) {
        if (PyList_Append(result, obj) < 0) {
            Py_DECREF(result);
            result = NULL;
        }
        Py_DECREF(obj);
        return result;
    }
    list = PyList_New(2);
    if (list == NULL) {
        Py_DECREF(result);
        Py_DECREF(obj);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, result);
    PyList_SET_ITEM(list, 1, obj);
    return list;
}

PyObject *scard_text_to_python(const char *data, DWORD length)
{
    DWORD n = 0;

    while (data != NULL && n < length && data[n] != '\0')
        n++;
    return PyUnicode_DecodeUTF8(data ? data : "", (Py_ssize_t)n,
                                "surrogateescape");
}
