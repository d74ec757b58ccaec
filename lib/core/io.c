/* libzairyu: bounded input and atomic output through a temporary file. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zairyu/io.h"

const char *
zr_display_name(const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return "<stdin>";
	return path;
}

static const char *
out_name(const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return "<stdout>";
	return path;
}

/* The registry of inputs: device, inode and the name they were read as. */
struct input {
	dev_t dev;
	ino_t ino;
	char *path;
};
static struct input *inputs_seen;
static size_t ninputs_seen, cap_inputs_seen;
static pthread_mutex_t inputs_mu = PTHREAD_MUTEX_INITIALIZER;

/* Standard output is guarded (zr_input_guard_stdout()). */
static int guard_stdout;

void
zr_input_guard_stdout(int on)
{
	guard_stdout = on;
}

/* st is the file on standard output, which is guarded. */
static int
is_guarded_stdout(const struct stat *st)
{
	struct stat so;

	return guard_stdout && fstat(STDOUT_FILENO, &so) == 0 &&
	    S_ISREG(so.st_mode) && so.st_dev == st->st_dev &&
	    so.st_ino == st->st_ino;
}

/* Register st (read as path); -1 and err set when there is no memory or
 * the input is the guarded standard output (it is registered all the
 * same: no output may replace it either). */
static int
note_stat(const struct stat *st, const char *path, struct zr_error *err)
{
	struct input *p;
	size_t i;
	int rc = 0;

	if (!S_ISREG(st->st_mode))
		return 0;
	pthread_mutex_lock(&inputs_mu);
	for (i = 0; i < ninputs_seen; i++)
		if (inputs_seen[i].dev == st->st_dev &&
		    inputs_seen[i].ino == st->st_ino)
			goto out;
	if (ninputs_seen == cap_inputs_seen) {
		size_t ncap = cap_inputs_seen ? cap_inputs_seen * 2 : 16;
		if ((p = realloc(inputs_seen, ncap * sizeof(*p))) == NULL) {
			rc = -1;
			goto out;
		}
		inputs_seen = p;
		cap_inputs_seen = ncap;
	}
	if ((inputs_seen[ninputs_seen].path = strdup(path)) == NULL) {
		rc = -1;
		goto out;
	}
	inputs_seen[ninputs_seen].dev = st->st_dev;
	inputs_seen[ninputs_seen].ino = st->st_ino;
	ninputs_seen++;
out:
	pthread_mutex_unlock(&inputs_mu);
	if (rc < 0)
		return zr_error_set(err, ZR_E_NOMEM, path, NULL);
	/* What a tool prints would be written into this input (issue 12:
	 * "zr-photo --check x.jpg >> x.jpg"). */
	if (is_guarded_stdout(st))
		return zr_error_set(err, ZR_E_SAME_FILE, path,
		    "standard output is this input file");
	return 0;
}

int
zr_input_note_fd(int fd, const char *path, struct zr_error *err)
{
	struct stat st;

	path = path != NULL ? path : "input";
	if (fstat(fd, &st) < 0)
		return zr_error_sys(err, ZR_E_IO, errno, path, "cannot stat");
	return note_stat(&st, path, err);
}

int
zr_input_note(const char *path, struct zr_error *err)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) < 0)
		return zr_error_sys(err, ZR_E_OPEN, errno, path,
		    "cannot open");
	return note_stat(&st, path, err);
}

int
zr_input_is_stdout(void)
{
	struct stat so;

	return fstat(STDOUT_FILENO, &so) == 0 && S_ISREG(so.st_mode) &&
	    zr_input_find(&so) != NULL;
}

const char *
zr_input_find(const struct stat *st)
{
	const char *found = NULL;
	size_t i;

	pthread_mutex_lock(&inputs_mu);
	for (i = 0; i < ninputs_seen; i++)
		if (inputs_seen[i].dev == st->st_dev &&
		    inputs_seen[i].ino == st->st_ino) {
			found = inputs_seen[i].path;
			break;
		}
	pthread_mutex_unlock(&inputs_mu);
	return found;
}

void
zr_input_reset(void)
{
	size_t i;

	pthread_mutex_lock(&inputs_mu);
	for (i = 0; i < ninputs_seen; i++)
		free(inputs_seen[i].path);
	free(inputs_seen);
	inputs_seen = NULL;
	ninputs_seen = cap_inputs_seen = 0;
	pthread_mutex_unlock(&inputs_mu);
}

int
zr_read_file(const char *path, size_t max, unsigned char **buf, size_t *len,
    struct zr_error *err)
{
	const char *name = zr_display_name(path);
	struct stat st;
	unsigned char *data = NULL, *p;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd, is_stdin;

	*buf = NULL;
	*len = 0;
	if (max == 0)
		max = ZR_READ_MAX;
	is_stdin = path == NULL || strcmp(path, "-") == 0;
	if (is_stdin)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return zr_error_sys(err, ZR_E_OPEN, errno, name, "cannot open");
	if (fstat(fd, &st) < 0) {
		zr_error_sys(err, ZR_E_IO, errno, name, "cannot stat");
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		zr_error_set(err, ZR_E_NOT_FILE, name, "is a directory");
		goto fail;
	}
	if (!is_stdin && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		zr_error_set(err, ZR_E_NOT_FILE, name, NULL);
		goto fail;
	}
	/* Registered even when it turns out too large: a tool that fails on
	 * an input must not write over it either.  So is standard input
	 * when it is a file ("- < x.jpg"; a pipe or a terminal is not). */
	if (note_stat(&st, is_stdin ? "<stdin>" : path, err) < 0)
		goto fail;
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		zr_error_set(err, ZR_E_TOO_BIG, name,
		    "file too large (%lld bytes, limit %zu)",
		    (long long)st.st_size, max);
		goto fail;
	}
	/* Size the buffer from st_size, but trust only what read() returns. */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	if (cap < 4096)
		cap = 4096;
	if ((data = malloc(cap)) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, name, NULL);
		goto fail;
	}
	for (;;) {
		if (n + 1 >= cap) {
			size_t ncap = cap > max / 2 ? max + 2 : cap * 2;
			if (ncap <= cap) {
				zr_error_set(err, ZR_E_TOO_BIG, name,
				    "input too large (limit %zu bytes)", max);
				goto fail;
			}
			if ((p = realloc(data, ncap)) == NULL) {
				zr_error_set(err, ZR_E_NOMEM, name, NULL);
				goto fail;
			}
			data = p;
			cap = ncap;
		}
		r = read(fd, data + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			zr_error_sys(err, ZR_E_IO, errno, name, "read error");
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			zr_error_set(err, ZR_E_TOO_BIG, name,
			    "input too large (limit %zu bytes)", max);
			goto fail;
		}
	}
	data[n] = '\0';
	if (!is_stdin)
		close(fd);
	*buf = data;
	*len = n;
	return 0;
fail:
	free(data);
	if (!is_stdin)
		close(fd);
	return -1;
}

struct zr_out {
	FILE *fp;
	int is_stdout;
	int is_device; /* an existing device or FIFO, written in place */
	char *path;  /* final name */
	char *tmp;   /* temporary name, or NULL */
	struct zr_out *next;
};

/* Handles with a temporary file, for zr_out_abort_all_signal(). */
static struct zr_out *volatile open_outs;

static void
unlink_list(struct zr_out *o)
{
	struct zr_out **pp;

	for (pp = (struct zr_out **)&open_outs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
}

void
zr_out_abort_all_signal(void)
{
	struct zr_out *o;

	for (o = open_outs; o != NULL; o = o->next)
		if (o->tmp != NULL)
			unlink(o->tmp);
}

static int
same_file(const struct stat *a, const char *path)
{
	struct stat b;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &b) < 0)
		return 0;
	return a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

int
zr_out_open(struct zr_out **outp, const char *path, int binary,
    const char *const *inputs, size_t ninputs, struct zr_error *err)
{
	struct zr_out *o;
	struct stat st;
	const char *slash, *seen;
	size_t dirlen, i;
	int fd;

	*outp = NULL;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return zr_error_set(err, ZR_E_NOMEM, out_name(path), NULL);
	if (path == NULL || strcmp(path, "-") == 0) {
		if (binary && isatty(STDOUT_FILENO)) {
			free(o);
			return zr_error_set(err, ZR_E_TTY, "<stdout>",
			    "refusing to write binary data to a terminal "
			    "(use -o FILE)");
		}
		if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
		    (seen = zr_input_find(&st)) != NULL) {
			free(o);
			return zr_error_set(err, ZR_E_SAME_FILE, seen,
			    "standard output is this input file");
		}
		if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
			for (i = 0; i < ninputs; i++)
				if (same_file(&st, inputs[i])) {
					free(o);
					return zr_error_set(err,
					    ZR_E_SAME_FILE, inputs[i],
					    "standard output is this input "
					    "file");
				}
		o->fp = stdout;
		o->is_stdout = 1;
		*outp = o;
		return 0;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			free(o);
			return zr_error_set(err, ZR_E_NOT_FILE, path,
			    "is a directory");
		}
		/* A device or a FIFO (-o /dev/null, -o /dev/stdout, a named
		 * pipe) is written in place: renaming over it would replace
		 * the device node with a regular file. */
		if (!S_ISREG(st.st_mode)) {
			if (binary && S_ISCHR(st.st_mode) && (fd = open(path,
			    O_WRONLY | O_CLOEXEC | O_NOCTTY)) >= 0) {
				int tty = isatty(fd);
				close(fd);
				if (tty) {
					free(o);
					return zr_error_set(err, ZR_E_TTY,
					    path, "refusing to write binary "
					    "data to a terminal");
				}
			}
			if ((fd = open(path, O_WRONLY | O_CLOEXEC |
			    O_NOCTTY)) < 0 || (o->fp = fdopen(fd, "wb")) ==
			    NULL) {
				zr_error_sys(err, ZR_E_OPEN, errno, path,
				    "cannot open");
				if (fd >= 0)
					close(fd);
				free(o);
				return -1;
			}
			o->is_device = 1;
			o->path = strdup(path);
			*outp = o;
			return 0;
		}
		for (i = 0; i < ninputs; i++)
			if (same_file(&st, inputs[i])) {
				free(o);
				return zr_error_set(err, ZR_E_SAME_FILE, path,
				    "output would overwrite the input %s",
				    inputs[i]);
			}
		if ((seen = zr_input_find(&st)) != NULL) {
			zr_error_set(err, ZR_E_SAME_FILE, path,
			    "output would overwrite the input %s", seen);
			free(o);
			return -1;
		}
	}
	o->path = strdup(path);
	slash = strrchr(path, '/');
	dirlen = slash == NULL ? 0 : (size_t)(slash - path) + 1;
	o->tmp = malloc(dirlen + sizeof(".zr-tmp.XXXXXX"));
	if (o->path == NULL || o->tmp == NULL) {
		free(o->path);
		free(o->tmp);
		free(o);
		return zr_error_set(err, ZR_E_NOMEM, path, NULL);
	}
	memcpy(o->tmp, path, dirlen);
	memcpy(o->tmp + dirlen, ".zr-tmp.XXXXXX", sizeof(".zr-tmp.XXXXXX"));
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		zr_error_sys(err, ZR_E_OPEN, errno, path, "cannot create");
		free(o->path);
		free(o->tmp);
		free(o);
		return -1;
	}
	o->fp = fdopen(fd, "wb");
	if (o->fp == NULL) {
		zr_error_sys(err, ZR_E_OPEN, errno, path, "cannot create");
		close(fd);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		free(o);
		return -1;
	}
	o->next = open_outs;
	open_outs = o;
	*outp = o;
	return 0;
}

FILE *
zr_out_file(struct zr_out *o)
{
	return o->fp;
}

static void
out_free(struct zr_out *o)
{
	unlink_list(o);
	free(o->path);
	free(o->tmp);
	free(o);
}

void
zr_out_abort(struct zr_out *o)
{
	if (o == NULL)
		return;
	if (o->is_device) {
		fclose(o->fp);
	} else if (!o->is_stdout) {
		fclose(o->fp);
		unlink(o->tmp);
	} else {
		fflush(o->fp);
	}
	out_free(o);
}

int
zr_out_commit(struct zr_out *o, struct zr_error *err)
{
	struct stat st;
	const char *seen;
	mode_t mask;
	int rc = 0;

	if (o->is_stdout) {
		if (fflush(o->fp) != 0 || ferror(o->fp))
			rc = zr_error_sys(err, ZR_E_IO, errno, "<stdout>",
			    "write error");
		out_free(o);
		return rc;
	}
	if (o->is_device) {
		if (fflush(o->fp) != 0 || ferror(o->fp))
			rc = zr_error_sys(err, ZR_E_IO, errno, o->path,
			    "write error");
		if (fclose(o->fp) != 0 && rc == 0)
			rc = zr_error_sys(err, ZR_E_IO, errno, o->path,
			    "write error");
		out_free(o);
		return rc;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		rc = zr_error_sys(err, ZR_E_IO, errno, o->path, "write error");
		goto fail;
	}
	/* The file was made 0600 by mkstemp; give it the usual mode. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fileno(o->fp), 0666 & ~mask) < 0 ||
	    fsync(fileno(o->fp)) < 0) {
		rc = zr_error_sys(err, ZR_E_IO, errno, o->path, "write error");
		goto fail;
	}
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		rc = zr_error_sys(err, ZR_E_IO, errno, o->path, "write error");
		unlink(o->tmp);
		out_free(o);
		return rc;
	}
	/* An input registered since the output was opened (a tool that
	 * opens its output first) is still never replaced. */
	if (stat(o->path, &st) == 0 && (seen = zr_input_find(&st)) != NULL) {
		rc = zr_error_set(err, ZR_E_SAME_FILE, o->path,
		    "output would overwrite the input %s", seen);
		unlink(o->tmp);
		out_free(o);
		return rc;
	}
	if (rename(o->tmp, o->path) < 0) {
		rc = zr_error_sys(err, ZR_E_IO, errno, o->path,
		    "cannot rename into place");
		unlink(o->tmp);
	}
	out_free(o);
	return rc;
fail:
	fclose(o->fp);
	unlink(o->tmp);
	out_free(o);
	return rc;
}

FILE *
zr_scratch_file(struct zr_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t n;
	FILE *fp;
	int fd, e;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = strlen(dir);
	if ((path = malloc(n + sizeof("/zr-scratch.XXXXXX"))) == NULL) {
		zr_error_set(err, ZR_E_NOMEM, NULL, NULL);
		return NULL;
	}
	memcpy(path, dir, n);
	memcpy(path + n, "/zr-scratch.XXXXXX", sizeof("/zr-scratch.XXXXXX"));
	if ((fd = mkstemp(path)) < 0) {
		zr_error_sys(err, ZR_E_IO, errno, dir, "cannot make a "
		    "temporary file");
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	if ((fp = fdopen(fd, "w+b")) == NULL) {
		e = errno;
		close(fd);
		zr_error_sys(err, ZR_E_IO, e, dir, "cannot make a temporary "
		    "file");
	}
	return fp;
}

int
zr_out_write_commit(struct zr_out *o, const void *data, size_t len,
    struct zr_error *err)
{
	if (len > 0 && fwrite(data, 1, len, o->fp) != len) {
		zr_error_sys(err, ZR_E_IO, errno,
		    o->is_stdout ? "<stdout>" : o->path, "write error");
		zr_out_abort(o);
		return -1;
	}
	return zr_out_commit(o, err);
}

int
zr_write_file(const char *path, const void *data, size_t len, int binary,
    const char *const *inputs, size_t ninputs, struct zr_error *err)
{
	struct zr_out *o;

	if (zr_out_open(&o, path, binary, inputs, ninputs, err) < 0)
		return -1;
	return zr_out_write_commit(o, data, len, err);
}
