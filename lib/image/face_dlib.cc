/* libzairyu: the one C++ file: dlib's HOG face detector and 68-point
 * shape predictor behind a plain C API (image_int.h). */
/* SPDX-License-Identifier: MIT */
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>

#include "image_int.h"

namespace {

/* Loaded once per process (the predictor file is about 100 MB), kept for
 * its lifetime: a tool converts one photo and exits. */
struct models {
	dlib::frontal_face_detector detector;
	dlib::shape_predictor predictor;
	bool loaded = false;
	std::string path;
};

models &
the_models()
{
	static models m;
	return m;
}

std::mutex &
the_lock()
{
	static std::mutex mu;
	return mu;
}

void
copy_msg(char *msg, size_t n, const char *text)
{
	if (n > 0)
		std::snprintf(msg, n, "%s", text);
}

} // namespace

extern "C" int
zri_face_load(const char *path, char *msg, size_t msglen)
{
	models &m = the_models();
	std::lock_guard<std::mutex> g(the_lock());

	if (m.loaded && m.path == path)
		return 0;
	try {
		m.detector = dlib::get_frontal_face_detector();
		dlib::deserialize(path) >> m.predictor;
		if (m.predictor.num_parts() != ZRI_FACE_POINTS) {
			copy_msg(msg, msglen, "not a 68-point shape predictor");
			return -1;
		}
		m.path = path;
		m.loaded = true;
		return 0;
	} catch (const std::exception &e) {
		copy_msg(msg, msglen, e.what());
	} catch (...) {
		copy_msg(msg, msglen, "unknown error");
	}
	m.loaded = false;
	return -1;
}

extern "C" int
zri_face_run(const unsigned char *gray, int w, int h, int upsample,
    struct zri_face_hit *hits, int max_hits, int *found, char *msg,
    size_t msglen)
{
	models &m = the_models();

	*found = 0;
	if (!m.loaded) {
		copy_msg(msg, msglen, "face model not loaded");
		return -1;
	}
	try {
		dlib::array2d<unsigned char> img(h, w);
		std::vector<dlib::rect_detection> dets;

		for (int y = 0; y < h; y++)
			std::memcpy(&img[y][0], gray + (size_t)y * (size_t)w,
			    (size_t)w);
		for (int i = 0; i < upsample; i++)
			dlib::pyramid_up(img);
		{
			/* The detector keeps scratch state: one at a time. */
			std::lock_guard<std::mutex> g(the_lock());
			m.detector(img, dets, 0.0);
		}
		/* Strongest first (dlib sorts by confidence). */
		double k = 1.0;
		for (int i = 0; i < upsample; i++)
			k *= 0.5;
		*found = (int)dets.size();
		for (size_t i = 0; i < dets.size() && (int)i < max_hits; i++) {
			const dlib::rectangle &r = dets[i].rect;
			dlib::full_object_detection s = m.predictor(img, r);
			struct zri_face_hit *o = &hits[i];

			o->left = r.left() * k;
			o->top = r.top() * k;
			o->width = (double)r.width() * k;
			o->height = (double)r.height() * k;
			o->score = dets[i].detection_confidence;
			for (unsigned long p = 0; p < s.num_parts() &&
			    p < ZRI_FACE_POINTS; p++) {
				o->pt[p][0] = (double)s.part(p).x() * k;
				o->pt[p][1] = (double)s.part(p).y() * k;
			}
		}
		return 0;
	} catch (const std::exception &e) {
		copy_msg(msg, msglen, e.what());
	} catch (...) {
		copy_msg(msg, msglen, "unknown error");
	}
	return -1;
}
