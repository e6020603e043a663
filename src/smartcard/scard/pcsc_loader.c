/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "pcsc_loader.h"

#if defined(_WIN32)
#  define LOADER_OPEN(name) ((void *)LoadLibraryA(name))
#  define LOADER_SYMBOL(lib, name) ((void *)GetProcAddress((HMODULE)(lib), name))
#else
#  include <dlfcn.h>
#  define LOADER_OPEN(name) dlopen(name, RTLD_NOW | RTLD_LOCAL)
#  define LOADER_SYMBOL(lib, name) dlsym(lib, name)
#endif

pcsc_api_table pcsc_api_entries;
PyObject *scard_error = NULL;
PyObject *scard_library_error = NULL;

static int loaded = 0;

/* What to install, said once here so every failure message agrees. */
static const char install_hint[] =
#if defined(_WIN32)
    "winscard.dll is part of Windows; check that the Smart Card service "
    "(SCardSvr) is installed";
#elif defined(__APPLE__)
    "PCSC.framework is part of macOS";
#else
    "install pcsc-lite's client library: 'apt-get install libpcsclite1 pcscd' "
    "(Debian/Ubuntu), 'dnf install pcsc-lite-libs pcsc-lite' (Fedora/RHEL), "
    "'pkg install pcsc-lite' (FreeBSD)";
#endif

/* The library file to open: PYSCARD_PCSC_LIBRARY overrides the platform's
 * default, for unusual installs and for benchmarks with a stub library. */
static const char *library_path(void)
{
    const char *override = getenv("PYSCARD_PCSC_LIBRARY");
    return (override && *override) ? override : PCSC_LIBRARY_NAME;
}

static void *open_library(void)
{
    const char *path = library_path();
    void *lib = LOADER_OPEN(path);
    if (lib == NULL) {
#if defined(_WIN32)
        PyErr_Format(scard_library_error,
                     "cannot load the PC/SC library %s (Windows error %lu): %s",
                     path, (unsigned long)GetLastError(), install_hint);
#else
        const char *why = dlerror();
        PyErr_Format(scard_library_error,
                     "cannot load the PC/SC library %s (%s): %s", path,
                     why ? why : "unknown reason", install_hint);
#endif
    }
    return lib;
}

/* Resolve one symbol; a missing mandatory one is an error naming it. */
static int resolve(void *lib, const char *name, void **slot, int mandatory)
{
    *slot = LOADER_SYMBOL(lib, name);
    if (*slot == NULL && mandatory) {
        PyErr_Format(scard_library_error,
                     "the PC/SC library %s has no entry point %s: it is not a "
                     "usable PC/SC library (%s)",
                     library_path(), name, install_hint);
        return -1;
    }
    return 0;
}

#define NEED(field, name) \
    if (resolve(lib, name, (void **)&t.field, 1) < 0) return NULL
#define MAYBE(field, name) (void)resolve(lib, name, (void **)&t.field, 0)
#define STRING_CALL(base) base PCSC_SYMBOL_SUFFIX_A

const pcsc_api_table *pcsc_api(void)
{
    pcsc_api_table t;
    void *lib;

    if (loaded)
        return &pcsc_api_entries;
    lib = open_library();
    if (lib == NULL)
        return NULL;
    memset(&t, 0, sizeof t);
    NEED(EstablishContext, "SCardEstablishContext");
    NEED(ReleaseContext, "SCardReleaseContext");
    NEED(IsValidContext, "SCardIsValidContext");
    NEED(ListReaders, STRING_CALL("SCardListReaders"));
    NEED(ListReaderGroups, STRING_CALL("SCardListReaderGroups"));
    NEED(Connect, STRING_CALL("SCardConnect"));
    NEED(Reconnect, "SCardReconnect");
    NEED(Disconnect, "SCardDisconnect");
    NEED(BeginTransaction, "SCardBeginTransaction");
    NEED(EndTransaction, "SCardEndTransaction");
    NEED(Status, STRING_CALL("SCardStatus"));
    NEED(GetStatusChange, STRING_CALL("SCardGetStatusChange"));
    NEED(Control, PCSC_CONTROL_SYMBOL);
    NEED(Transmit, "SCardTransmit");
    NEED(Cancel, "SCardCancel");
    NEED(GetAttrib, "SCardGetAttrib");
    NEED(SetAttrib, "SCardSetAttrib");
    MAYBE(StringifyError, "pcsc_stringify_error");
    MAYBE(pci_t0, "g_rgSCardT0Pci");
    MAYBE(pci_t1, "g_rgSCardT1Pci");
    MAYBE(pci_raw, "g_rgSCardRawPci");
#if defined(PCSC_HAS_CARD_DATABASE)
    MAYBE(IntroduceReaderGroup, "SCardIntroduceReaderGroupA");
    MAYBE(ForgetReaderGroup, "SCardForgetReaderGroupA");
    MAYBE(IntroduceReader, "SCardIntroduceReaderA");
    MAYBE(ForgetReader, "SCardForgetReaderA");
    MAYBE(AddReaderToGroup, "SCardAddReaderToGroupA");
    MAYBE(RemoveReaderFromGroup, "SCardRemoveReaderFromGroupA");
    MAYBE(ListCards, "SCardListCardsA");
    MAYBE(ListInterfaces, "SCardListInterfacesA");
    MAYBE(GetProviderId, "SCardGetProviderIdA");
    MAYBE(GetCardTypeProviderName, "SCardGetCardTypeProviderNameA");
    MAYBE(IntroduceCardType, "SCardIntroduceCardTypeA");
    MAYBE(ForgetCardType, "SCardForgetCardTypeA");
    MAYBE(LocateCards, "SCardLocateCardsA");
#endif
    /* The library stays open for the life of the process: unloading it
     * under a thread blocked in SCardGetStatusChange would crash. */
    pcsc_api_entries = t;
    loaded = 1;
    return &pcsc_api_entries;
}

int pcsc_loader_init_exceptions(PyObject *module)
{
    PyObject *bases;

    scard_error = PyErr_NewExceptionWithDoc(
        "smartcard.scard.error",
        "Raised by smartcard.scard when a call cannot be made at all.",
        NULL, NULL);
    if (scard_error == NULL)
        return -1;
    /* Also an OSError, so generic "library missing" handlers catch it. */
    bases = PyTuple_Pack(2, scard_error, PyExc_OSError);
    if (bases == NULL)
        return -1;
    scard_library_error = PyErr_NewExceptionWithDoc(
        "smartcard.scard.PCSCLibraryError",
        "The PC/SC library could not be loaded; the message says what to "
        "install.",
        bases, NULL);
    Py_DECREF(bases);
    if (scard_library_error == NULL)
        return -1;
    Py_INCREF(scard_error);
    if (PyModule_AddObject(module, "error", scard_error) < 0)
        return -1;
    Py_INCREF(scard_library_error);
    if (PyModule_AddObject(module, "PCSCLibraryError", scard_library_error) < 0)
        return -1;
    return 0;
}
