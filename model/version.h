#ifndef GR_VERSION_H
#define GR_VERSION_H
#define GRIDRISK_VERSION "0.1.0"
#endif
