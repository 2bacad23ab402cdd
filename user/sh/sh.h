/*
 * The shell's parts (docs/SHELL.md): main.c reads the console and edits
 * lines; jobs.c runs programs as processes (relay/process.h) and reaps
 * them; commands.c has the built-ins.
 */
#ifndef SH_H
#define SH_H

#include <relay/libos.h>
#include <relay/bootfs_client.h>
#include <relay/process.h>

#define LINE_MAX   160u
#define ARGS_MAX   16u
#define JOBS_MAX   8u
#define IDLE_TICKS 2u                    /* 20 ms: the longest the shell waits between looks */

struct job {
    int used;
    int background;
    pid_t pid;
    char name[BOOTFS_NAME_MAX];
};

extern struct job jobs[JOBS_MAX];
extern relay_handle fs;                  /* the boot file system */
extern struct proc_status last;          /* how the last program ended ... */
extern int ran_any;                      /* ... once one has */
extern int at_prompt;                    /* a prompt and a line being typed are showing */
extern int exit_requested;

/* main.c: the console. */
int fill_input(void);                    /* read what is there; 0 if the console is gone */
int take_interrupt(void);                /* a Ctrl-C typed ahead, dropped with what came before */

/* jobs.c */
int jobs_setup(void);
void run(uint32_t argc, char **argv);
uint32_t idle(int fg, struct proc_status *fg_end, int *fg_done);
int job_arg(const char *cmd, const char *arg);
void job_kill(uint32_t j);
void jobs_end_all(void);
const struct proc_status *job_last_ending(uint32_t j);
void describe(const struct proc_status *s, char *buf, size_t len);
int is_program(uint32_t index);
int find_program(const char *name, char file[BOOTFS_NAME_MAX], uint32_t *index, uint32_t *size);

/* commands.c */
void execute(char *line);

#endif
