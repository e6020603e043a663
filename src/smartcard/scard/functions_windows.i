/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Windows-only calls: the smart card database. GUIDs are lists of 16
 * ints, in memory order, as pyscard gives them. Built only on Windows
 * (setup.py passes -DSCARD_WINDOWS to SWIG there). */

%typemap(in) scard_guids * (scard_guids temp = {NULL, 0}) {
    if (scard_guids_parse($input, &temp, "$symname: $1_name") < 0)
        SWIG_fail;
    $1 = &temp;
}
%typemap(in, numinputs=0) scard_guids *interfaces_out (scard_guids temp = {NULL, 0})
    "$1 = &temp;"
%typemap(in, numinputs=0) scard_guids *provider_out (scard_guids temp = {NULL, 0})
    "$1 = &temp;"
%typemap(argout) scard_guids *interfaces_out, scard_guids *provider_out {
    $result = scard_append_output($result, scard_guids_to_python($1));
    if ($result == NULL)
        SWIG_fail;
}
%typemap(freearg) scard_guids * "if ($1) PyMem_Free($1->items);"

%rename(SCardListCards) scard_ListCards;
scard_rc scard_ListCards(scard_context context, scard_bytes_in *atr,
                         scard_guids *guidlist, scard_strings_out *cards);
%rename(SCardLocateCards) scard_LocateCards;
scard_rc scard_LocateCards(scard_context context, scard_multistring cardnames,
                           scard_readerstates *readerstatelist);
%rename(SCardListInterfaces) scard_ListInterfaces;
scard_rc scard_ListInterfaces(scard_context context, scard_string cardname,
                              scard_guids *interfaces_out);
%rename(SCardGetProviderId) scard_GetProviderId;
scard_rc scard_GetProviderId(scard_context context, scard_string cardname,
                             scard_guids *provider_out);
%rename(SCardGetCardTypeProviderName) scard_GetCardTypeProviderName;
scard_rc scard_GetCardTypeProviderName(scard_context context, scard_string cardname,
                                       scard_dword dwProviderId,
                                       scard_text_out *name);
%rename(SCardIntroduceCardType) scard_IntroduceCardType;
scard_rc scard_IntroduceCardType(scard_context context, scard_string cardname,
                                 scard_guids *primaryprovider,
                                 scard_guids *providerlist, scard_bytes_in *atr,
                                 scard_bytes_in *mask);
%rename(SCardForgetCardType) scard_ForgetCardType;
scard_rc scard_ForgetCardType(scard_context context, scard_string cardname);
