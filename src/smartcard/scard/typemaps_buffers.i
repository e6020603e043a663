/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Typemaps for byte buffers: list of ints or bytes-like in, list out. */

%typemap(in) scard_bytes_in * (scard_bytes_in temp) {
    if (scard_bytes_in_parse($input, &temp, "$symname: $1_name") < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(freearg) scard_bytes_in * "if ($1) scard_bytes_in_release($1);"

/* Output buffers are sized for the largest answer the call can give. */
%typemap(in, numinputs=0) scard_bytes_out * (scard_bytes_out temp) {
    if (scard_bytes_out_alloc(&temp, PCSC_MAX_BUFFER) < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(argout) scard_bytes_out * {
    $result = scard_append_output($result,
                                  scard_list_from_bytes($1->data, $1->length));
    if ($result == NULL)
        SWIG_fail;
}
%typemap(freearg) scard_bytes_out * "if ($1) scard_bytes_out_release($1);"
