#include "simtest.h"
int main(void){return 0;}
