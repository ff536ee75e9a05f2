/* The tool's name and version, as every report names them. */
#ifndef MCPAUDIT_VERSION_H
#define MCPAUDIT_VERSION_H

#define MCPAUDIT_NAME "mcpaudit"
#define MCPAUDIT_VERSION "0.1.0"
#define MCPAUDIT_INFO_URI "https://example.org/mcpaudit"  /* placeholder until the project has a home */

#endif
