/* whack.c -- the control client of Interlude's pluto, with Libreswan's options:
 *   whack [--rundir DIR | --ctlsocket PATH] --add|--delete|--up|--down --name NAME
 *   whack --status | --trafficstatus | --rereadsecrets | --rereadall | --shutdown
 *   whack [--name NAME] --debug LIST | --no-debug NAME | --debug help
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
#include "plutodebug.h"
#include "whack_cmd.h"

#define WHACK_DEFAULT_RUNDIR "/run/pluto"

enum { OPT_RUNDIR = 256, OPT_CTL, OPT_ASYNC, OPT_BENCH, OPT_DEBUG, OPT_NO_DEBUG };

struct cmd {
	const char *option;	/* --up */
	enum whack_verb verb;	/* what pluto understands (include/whack_cmd.h) */
};

static const struct cmd cmds[] = {
	{ "add", WHACK_ADD },
	{ "delete", WHACK_DELETE },
	{ "up", WHACK_UP },
	{ "initiate", WHACK_UP },
	{ "down", WHACK_DOWN },
	{ "terminate", WHACK_DOWN },
	{ "status", WHACK_STATUS },
	{ "trafficstatus", WHACK_TRAFFICSTATUS },
	{ "rereadsecrets", WHACK_REREADSECRETS },
	{ "rereadall", WHACK_REREADALL },
	{ "shutdown", WHACK_SHUTDOWN },
	{ "listen", WHACK_LISTEN },
	{ "impair", WHACK_IMPAIR },	/* --impair WHAT: tests only */
	{ "rekey-ike", WHACK_REKEY_IKE },
	{ "rekey-ipsec", WHACK_REKEY_CHILD },
	{ "rekey-child", WHACK_REKEY_CHILD },
	{ "seccomp-crashtest", WHACK_SECCOMP_CRASHTEST },	/* Libreswan: test seccomp= */
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: whack [--rundir DIR | --ctlsocket PATH] COMMAND [--name NAME]\n"
		   "commands: --add --delete --up --down --status --trafficstatus --rereadsecrets --rereadall\n"
		   "          --shutdown --rekey-ike --rekey-ipsec (--rekey-child) --seccomp-crashtest\n"
		   "          --bench N (bring up N IKE SAs of --name, report the rate; testing/bench)\n"
		   "          --debug LIST, --no-debug NAME (with --name: that connection's), --debug help\n");
}

/* whack --debug help (or list): the categories, as Libreswan's whack lists them */
static void debug_help(void)
{
	size_t n;
	const struct dbg_name *d = dbg_names(&n);
	printf("debug categories (whack --debug LIST, plutodebug=LIST; none, NAME, no-NAME):\n");
	for (size_t i = 0; i < n; i++)
		printf("  %-11s%s%s\n", d[i].name, d[i].bits == 0 ? "not supported: " : d[i].alias ? "= " : "",
		       d[i].help);
}

/* --debug LIST and --no-debug NAME, in order, as one list */
static bool add_debug(char *list, size_t len, const char *no, const char *arg)
{
	struct dbg_lmod m;
	char word[WHACK_ARG_MAX], why[256];
	snprintf(word, sizeof(word), "%s%s", no, arg);
	if (!dbg_parse(word, &m, why, sizeof(why))) {
		fprintf(stderr, "whack: --%sdebug %s: %s\n", no, arg, why);
		return false;
	}
	size_t n = strlen(list);
	if (n + strlen(word) + 2 > len) {
		fprintf(stderr, "whack: too many --debug options\n");
		return false;
	}
	snprintf(list + n, len - n, "%s%s", n ? "," : "", word);
	return true;
}

/* Sends one command line and prints the answer until pluto's "=rc N".  async
 * (--asynchronous, Libreswan's, with --up): return 0 once pluto has taken the command,
 * after its first line, and leave the negotiation to run (pluto forgets the client) */
static int talk(const char *path, const char *line, bool async)
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
		if (async) {
			rc = 0;
			break;
		}
	}
	if (rc == 3)
		fprintf(stderr, "whack: pluto closed the connection without a status\n");
	if (in != NULL)
		fclose(in);
	return rc;
}

int main(int argc, char **argv)
{
	static struct option opts[NCMDS + 8];
	for (size_t i = 0; i < NCMDS; i++)
		opts[i] = (struct option){ cmds[i].option, no_argument, NULL, (int)i + 1 };
	opts[NCMDS] = (struct option){ "name", required_argument, NULL, 'n' };
	opts[NCMDS + 1] = (struct option){ "rundir", required_argument, NULL, OPT_RUNDIR };
	opts[NCMDS + 2] = (struct option){ "ctlsocket", required_argument, NULL, OPT_CTL };
	opts[NCMDS + 3] = (struct option){ "asynchronous", no_argument, NULL, OPT_ASYNC };
	opts[NCMDS + 4] = (struct option){ "bench", required_argument, NULL, OPT_BENCH };
	opts[NCMDS + 5] = (struct option){ "debug", required_argument, NULL, OPT_DEBUG };
	opts[NCMDS + 6] = (struct option){ "no-debug", required_argument, NULL, OPT_NO_DEBUG };
	char debug[WHACK_ARG_MAX] = "";
	bool async = false;
	static const struct cmd bench = { "bench", WHACK_BENCH };
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
		} else if (o == OPT_DEBUG && (strcmp(optarg, "help") == 0 || strcmp(optarg, "list") == 0)) {
			debug_help();
			return 0;
		} else if (o == OPT_DEBUG || o == OPT_NO_DEBUG) {
			if (!add_debug(debug, sizeof(debug), o == OPT_NO_DEBUG ? "no-" : "", optarg))
				return 2;
		} else if (o == OPT_ASYNC) {
			async = true;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (cmd != NULL && cmd->verb == WHACK_IMPAIR && optind + 1 == argc)
		name = argv[optind++];	/* whack --impair WHAT */
	bool needs_name = cmd != NULL && whack_verb_arg(cmd->verb) != WHACK_ARG_NONE;
	if (async && (cmd == NULL || cmd->verb != WHACK_UP)) {
		fprintf(stderr, "whack: --asynchronous goes with --up (--initiate) only\n");
		return 2;
	}
	if ((cmd == NULL && debug[0] == '\0') || optind != argc || (needs_name && name == NULL)) {
		usage(stderr);
		return 2;
	}
	char line[WHACK_CMD_LINE_MAX];
	if (debug[0] != '\0') {
		/* Libreswan: --debug (with --name: the connection's) before any other
		 * command on the same line */
		char darg[WHACK_ARG_MAX + CONF_NAME_MAX];
		bool conn = name != NULL && (cmd == NULL || needs_name);
		snprintf(darg, sizeof(darg), "%s%s%s", conn ? name : "", conn ? " " : "", debug);
		enum whack_verb v = conn ? WHACK_DEBUG_CONN : WHACK_DEBUG;
		if (!whack_cmd_format(v, darg, line, sizeof(line))) {
			fprintf(stderr, "whack: bad argument '%s' for --debug\n", darg);
			return 2;
		}
		int rc = talk(path, line, false);
		if (rc != 0 || cmd == NULL)
			return rc;
	}
	char arg[WHACK_ARG_MAX];
	snprintf(arg, sizeof(arg), "%s%s%s", name ? name : "", bench_n ? " " : "", bench_n ? bench_n : "");
	if (!whack_cmd_format(cmd->verb, arg, line, sizeof(line))) {
		fprintf(stderr, "whack: bad argument '%s' for --%s\n", arg, cmd->option);
		return 2;
	}
	return talk(path, line, async);
}
