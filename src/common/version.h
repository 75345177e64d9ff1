/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DT_VERSION_H
#define DT_VERSION_H
#define DT_VERSION_STRING "0.1.0"
#endif
