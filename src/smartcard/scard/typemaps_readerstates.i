/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Typemaps for SCardGetStatusChange's reader state list. */

%typemap(in) scard_readerstates * (scard_readerstates temp) {
    if (scard_readerstates_parse($input, &temp) < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(argout) scard_readerstates * {
    $result = scard_append_output($result, scard_readerstates_to_python($1));
    if ($result == NULL)
        SWIG_fail;
}
%typemap(freearg) scard_readerstates * "if ($1) scard_readerstates_release($1);"
