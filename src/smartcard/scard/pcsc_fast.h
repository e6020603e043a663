/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef SCARD_PCSC_FAST_H
#define SCARD_PCSC_FAST_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Add the hand-bound hot-path calls to the module and to its __all__. */
int pcsc_fast_register(PyObject *module, PyObject *public_names);

#endif
