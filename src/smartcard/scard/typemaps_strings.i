/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Typemaps for reader and group names: str in, str or list of str out. */

%typemap(in) scard_string (PyObject *holder = NULL)
    "if (scard_string_parse($input, &$1, &holder, \"$symname: $1_name\") < 0) SWIG_fail;"
%typemap(freearg) scard_string "Py_XDECREF(holder$argnum);"

/* Set before any argument is parsed: the freearg below runs on every
 * failure path, also when unpacking the arguments failed first. */
%typemap(arginit) scard_multistring "$1 = NULL;"
%typemap(in) scard_multistring
    "if (scard_multistring_parse($input, &$1, \"$symname: $1_name\") < 0) SWIG_fail;"
%typemap(freearg) scard_multistring "PyMem_Free($1);"

%typemap(in, numinputs=0) scard_strings_out * (scard_strings_out temp = {NULL, 0})
    "$1 = &temp;"
%typemap(argout) scard_strings_out * {
    $result = scard_append_output($result,
                                  scard_list_from_multistring($1->data, $1->length));
    if ($result == NULL)
        SWIG_fail;
}
%typemap(freearg) scard_strings_out * "if ($1) PyMem_Free($1->data);"

%typemap(in, numinputs=0) scard_text_out * (scard_text_out temp = {NULL, 0})
    "$1 = &temp;"
%typemap(argout) scard_text_out * {
    $result = scard_append_output($result, scard_text_to_python($1->data, $1->length));
    if ($result == NULL)
        SWIG_fail;
}
%typemap(freearg) scard_text_out * "if ($1) PyMem_Free($1->data);"
