/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Typemaps for result codes, DWORD arguments and handles. */

%typemap(out) scard_rc
    "$result = PyLong_FromLong((long)$1);
     if ($result == NULL) SWIG_fail;"

%typemap(in) scard_dword
    "if (scard_dword_parse($input, &$1, \"$symname: $1_name\") < 0) SWIG_fail;"
%typemap(in) scard_context
    "if (scard_handle_parse($input, &$1, \"$symname: hcontext\") < 0) SWIG_fail;"
%typemap(in) scard_card
    "if (scard_handle_parse($input, &$1, \"$symname: hcard\") < 0) SWIG_fail;"

/* Outputs: appended after the result code, in declaration order. */
%typemap(in, numinputs=0) scard_context * (scard_context temp = 0) "$1 = &temp;"
%typemap(argout) scard_context *
    "$result = scard_append_output($result, scard_handle_to_python(*$1));
     if ($result == NULL) SWIG_fail;"
%typemap(in, numinputs=0) scard_card * (scard_card temp = 0) "$1 = &temp;"
%typemap(argout) scard_card *
    "$result = scard_append_output($result, scard_handle_to_python(*$1));
     if ($result == NULL) SWIG_fail;"
%typemap(in, numinputs=0) scard_dword * (scard_dword temp = 0) "$1 = &temp;"
%typemap(argout) scard_dword *
    "$result = scard_append_output($result, PyLong_FromUnsignedLong((unsigned long)*$1));
     if ($result == NULL) SWIG_fail;"
