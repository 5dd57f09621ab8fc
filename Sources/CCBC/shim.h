// COIN-OR CBC 2.10 (branch and cut, EPL-2.0), through its C interface only.
// Debian 12: coinor-libcbc-dev; pkg-config name "cbc".
#include <coin/Cbc_C_Interface.h>
