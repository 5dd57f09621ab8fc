// COIN-OR CBC 2.10 (branch and cut, EPL-2.0), through its C interface only.
// Debian 12: coinor-libcbc-dev; pkg-config name "cbc".
//
// The library is loaded at the first solve (dlopen), not linked: CBC brings LAPACK and a
// BLAS, and Debian's OpenBLAS starts one busy-waiting thread per core when it is loaded.
// Every cable, hubs, gaps and siting run paid for that (and for loading fifteen more shared
// libraries) even when it solved nothing.
#include <coin/Cbc_C_Interface.h>
#include <dlfcn.h>
#include <stddef.h>

#define WATTBIT_CBC_FUNCTIONS(X) \
    X(Cbc_getVersion) X(Cbc_newModel) X(Cbc_deleteModel) X(Cbc_setLogLevel) X(Cbc_loadProblem) \
    X(Cbc_setInteger) X(Cbc_setObjSense) X(Cbc_setMaximumSeconds) X(Cbc_setAllowableFractionGap) \
    X(Cbc_setAllowableGap) X(Cbc_setMaximumNodes) X(Cbc_setParameter) X(Cbc_setInitialSolution) \
    X(Cbc_solve) X(Cbc_getNodeCount) X(Cbc_isProvenInfeasible) X(Cbc_isContinuousUnbounded) \
    X(Cbc_bestSolution) X(Cbc_isProvenOptimal) X(Cbc_getColSolution) X(Cbc_getBestPossibleObjValue) \
    X(Cbc_isAbandoned) X(Cbc_isSecondsLimitReached) X(Cbc_isNodeLimitReached) X(Cbc_isSolutionLimitReached)

/// The functions of CBC's C interface that WattBit calls, by their C names.
typedef struct {
#define WATTBIT_CBC_FIELD(name) __typeof__(&name) _Nonnull name;
    WATTBIT_CBC_FUNCTIONS(WATTBIT_CBC_FIELD)
#undef WATTBIT_CBC_FIELD
} WattBitCBC;

/// Loads libCbcSolver and fills `table`. NULL on success, else what failed (the loader's
/// message, or the name of a missing function).
static inline const char *_Nullable wattbit_cbc_load(WattBitCBC *_Nonnull table) {
    void *library = dlopen("libCbcSolver.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libCbcSolver.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define WATTBIT_CBC_LOAD(name) \
    if ((*(void **)&table->name = dlsym(library, #name)) == NULL) return #name;
    WATTBIT_CBC_FUNCTIONS(WATTBIT_CBC_LOAD)
#undef WATTBIT_CBC_LOAD
    return NULL;
}
