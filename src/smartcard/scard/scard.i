/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * smartcard.scard: the PC/SC API (winscard.h) for Python, one function per
 * winscard call with pyscard's names, argument order and result shape:
 * the result code first, then the outputs, in a list.
 *
 * The C work is split by concern: pcsc_platform.h (platform differences),
 * pcsc_loader.c (run-time loading of the library), pcsc_convert.c
 * (Python <-> C conversions), pcsc_calls.c (the calls), pcsc_fast.c (the
 * hot-path calls bound by hand); the typemaps_*.i files bind the
 * conversions to argument roles. */

%module(package="smartcard.scard") scard

%{
#define SWIG_FILE_WITH_INIT
#include "pcsc_calls.h"
#include "pcsc_loader.h"
#include "pcsc_constants.h"
#include "pcsc_fast.h"
%}

/* SWIG 4.4 and later put %init inside the module's exec function, which
 * returns an int (multi-phase initialisation, PEP 489); earlier versions
 * inside PyInit, which returns the module. Either way a failure must be
 * reported as one, with the exception set. */
%{
#if SWIG_VERSION >= 0x040400
#  define SCARD_INIT_FAILED (-1)
#else
#  define SCARD_INIT_FAILED NULL
#endif

/* The extension keeps its state (exception classes, the loaded library,
 * small-int table, response buffer) in C globals: one interpreter only.
 * In a sub-interpreter the import fails cleanly instead of replacing the
 * main interpreter's objects with the sub-interpreter's. */
static int scard_check_interpreter(void)
{
    if (PyInterpreterState_Get() != PyInterpreterState_Main()) {
        PyErr_SetString(PyExc_ImportError,
                        "smartcard.scard can only be imported in the main "
                        "interpreter, not in a sub-interpreter");
        return -1;
    }
    return 0;
}
%}

%init %{
    if (scard_check_interpreter() < 0 || pcsc_loader_init_exceptions(m) < 0 ||
        scard_convert_init() < 0 || pcsc_fast_register(m, public_interface) < 0)
        return SCARD_INIT_FAILED;
%}

/* A call that could not reach PC/SC (library missing) leaves a Python
 * exception set: raise it rather than return a result code. */
%exception {
    $action
    if (PyErr_Occurred())
        SWIG_fail;
}

%include "typemaps_numbers.i"
%include "typemaps_buffers.i"
%include "typemaps_strings.i"
/* Reader-state lists: SCardGetStatusChange is bound by hand (pcsc_fast.c);
 * only Windows' SCardLocateCards takes them through SWIG. */
#if defined(SCARD_WINDOWS)
%include "typemaps_readerstates.i"
#endif
%include "functions.i"
%include "constants.i"
