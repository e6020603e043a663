/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Conversions between Python objects and PC/SC C types. Each returns -1
 * (or NULL) with a Python exception set that names the argument and what
 * was wrong, so bad input never reaches the PC/SC library. */
#ifndef SCARD_PCSC_CONVERT_H
#define SCARD_PCSC_CONVERT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "pcsc_platform.h"

/* An input byte buffer: a list or tuple of ints 0..255, or any object
 * with the buffer protocol (bytes, bytearray, memoryview...). */
typedef struct {
    const BYTE *data;
    DWORD length;
    BYTE *owned;          /* heap copy made from a list, or NULL */
    Py_buffer view;       /* held while a bytes-like object is borrowed */
    int has_view;
    BYTE small[272];      /* list inputs up to a short APDU need no malloc */
} scard_bytes_in;

int scard_bytes_in_parse(PyObject *obj, scard_bytes_in *out, const char *what);
void scard_bytes_in_release(scard_bytes_in *buf);

/* An output byte buffer, returned to Python as a list of ints. */
typedef struct {
    BYTE *data;
    DWORD length;         /* capacity before the call, length after */
} scard_bytes_out;

int scard_bytes_out_alloc(scard_bytes_out *buf, DWORD capacity);
void scard_bytes_out_release(scard_bytes_out *buf);
PyObject *scard_list_from_bytes(const BYTE *data, DWORD length);

/* Fill the table of the ints 0..255 used by scard_list_from_bytes. */
int scard_convert_init(void);

/* Unsigned 32-bit PC/SC values (DWORD). Negative values down to -2**31
 * are accepted as their two's complement, as C callers would write them. */
int scard_dword_parse(PyObject *obj, DWORD *out, const char *what);

/* Context and card handles. */
int scard_handle_parse(PyObject *obj, SCARDHANDLE *out, const char *what);
PyObject *scard_handle_to_python(SCARDHANDLE handle);

/* A str argument, encoded to UTF-8 for the ANSI API. The returned
 * pointer lives as long as *holder, which the caller must release. */
int scard_string_parse(PyObject *obj, const char **out, PyObject **holder,
                       const char *what);

/* A list of str, joined into a PC/SC multi-string ("a\0b\0\0"). An empty
 * list gives NULL, which PC/SC reads as "no filter". */
int scard_multistring_parse(PyObject *obj, char **out, const char *what);
PyObject *scard_list_from_multistring(const char *data, DWORD length);

/* SCardGetStatusChange reader states: a list of (name, state) or
 * (name, state, atr) tuples in, a list of (name, event state, atr) out. */
#define SCARD_INLINE_READERS 16   /* pcsc-lite's own limit per call */
typedef struct {
    pcsc_readerstate *states;
    PyObject **names;     /* the str objects given, held during the call: their
                             cached UTF-8 form is what szReader points to */
    DWORD count;
    pcsc_readerstate inline_states[SCARD_INLINE_READERS];
    PyObject *inline_names[SCARD_INLINE_READERS];
} scard_readerstates;

int scard_readerstates_parse(PyObject *obj, scard_readerstates *out);
PyObject *scard_readerstates_to_python(const scard_readerstates *rs);
void scard_readerstates_release(scard_readerstates *rs);

/* Append one output to a call's result: the bare result code becomes
 * [code, output], as pyscard returns. Steals obj; NULL on error. */
PyObject *scard_append_output(PyObject *result, PyObject *obj);

/* A NUL-terminated name of at most length bytes, as str. */
PyObject *scard_text_to_python(const char *data, DWORD length);

#endif
