#include <stdio.h>
#include <gvc.h>
#include <cgraph.h>
