/* whack.c -- the control client of Interlude's pluto, with Libreswan's options:
 *   whack [--rundir DIR | --ctlsocket PATH] --add|--delete|--up|--down --name NAME
 *   whack --status | --trafficstatus | --rereadsecrets | --shutdown
 * It sends one command line to RUNDIR/pluto.ctl, prints what pluto answers and
 * exits with the status pluto gives in its final "=rc N" line. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define WHACK_DEFAULT_RUNDIR "/run/pluto"

enum { OPT_RUNDIR = 256, OPT_CTL, OPT_ASYNC, OPT_BENCH };

struct cmd {
	const char *option;	/* --up */
	const char *verb;	/* what pluto understands */
	bool needs_name;
};

static const struct cmd cmds[] = {
	{ "add", "add", true },
	{ "delete", "delete", true },
	{ "up", "up", true },
	{ "initiate", "up", true },
	{ "down", "down", true },
	{ "terminate", "down", true },
	{ "status", "status", false },
	{ "trafficstatus", "trafficstatus", false },
	{ "rereadsecrets", "rereadsecrets", false },
	{ "shutdown", "shutdown", false },
	{ "listen", "listen", false },
	{ "impair", "impair", true },	/* --impair WHAT: tests only */
	{ "rekey-ike", "rekey-ike", true },
	{ "rekey-ipsec", "rekey-child", true },
	{ "rekey-child", "rekey-child", true },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: whack [--rundir DIR | --ctlsocket PATH] COMMAND [--name NAME]\n"
		   "commands: --add --delete --up --down --status --trafficstatus --rereadsecrets --shutdown\n"
		   "          --rekey-ike --rekey-ipsec (--rekey-child)\n"
		   "          --bench N (bring up N IKE SAs of --name, report the rate; testing/bench)\n");
}

static int talk(const char *path, const char *line)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "whack: socket path too long\n");
		return 2;
	}
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "whack: cannot connect to pluto at %s: %m\n", path);
		return 2;
	}
	size_t len = strlen(line);
	if (write(fd, line, len) != (ssize_t)len) {
		fprintf(stderr, "whack: write failed\n");
		close(fd);
		return 2;
	}
	FILE *in = fdopen(fd, "r");
	char buf[2048];
	int rc = 3;	/* pluto went away without a status */
	while (in != NULL && fgets(buf, sizeof(buf), in) != NULL) {
		if (strncmp(buf, "=rc ", 4) == 0) {
			rc = atoi(buf + 4);
			break;
		}
		fputs(buf, stdout);
		fflush(stdout);
	}
	if (in != NULL)
		fclose(in);
	return rc;
}

int main(int argc, char **argv)
{
	static struct option opts[NCMDS + 6];
	for (size_t i = 0; i < NCMDS; i++)
		opts[i] = (struct option){ cmds[i].option, no_argument, NULL, (int)i + 1 };
	opts[NCMDS] = (struct option){ "name", required_argument, NULL, 'n' };
	opts[NCMDS + 1] = (struct option){ "rundir", required_argument, NULL, OPT_RUNDIR };
	opts[NCMDS + 2] = (struct option){ "ctlsocket", required_argument, NULL, OPT_CTL };
	opts[NCMDS + 3] = (struct option){ "asynchronous", no_argument, NULL, OPT_ASYNC };
	opts[NCMDS + 4] = (struct option){ "bench", required_argument, NULL, OPT_BENCH };
	static const struct cmd bench = { "bench", "bench", true };
	const char *bench_n = NULL;
	const struct cmd *cmd = NULL;
	const char *name = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/pluto.ctl", WHACK_DEFAULT_RUNDIR);
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o >= 1 && o <= (int)NCMDS) {
			cmd = &cmds[o - 1];
		} else if (o == 'n') {
			name = optarg;
		} else if (o == OPT_RUNDIR) {
			snprintf(path, sizeof(path), "%s/pluto.ctl", optarg);
		} else if (o == OPT_CTL) {
			snprintf(path, sizeof(path), "%s", optarg);
		} else if (o == OPT_BENCH) {
			cmd = &bench;
			bench_n = optarg;
		} else if (o != OPT_ASYNC) {
			usage(stderr);
			return 2;
		}
	}
	if (cmd != NULL && strcmp(cmd->verb, "impair") == 0 && optind + 1 == argc)
		name = argv[optind++];	/* whack --impair WHAT */
	if (cmd == NULL || optind != argc || (cmd->needs_name && (name == NULL || strchr(name, '\n')))) {
		usage(stderr);
		return 2;
	}
	char line[600];
	snprintf(line, sizeof(line), "%s%s%s%s%s\n", cmd->verb, cmd->needs_name ? " " : "",
		 cmd->needs_name ? name : "", bench_n ? " " : "", bench_n ? bench_n : "");
	return talk(path, line);
}
