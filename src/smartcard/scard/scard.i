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

%init %{
    if (pcsc_loader_init_exceptions(m) < 0 || scard_convert_init() < 0 ||
        pcsc_fast_register(m, public_interface) < 0)
        return NULL;
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
