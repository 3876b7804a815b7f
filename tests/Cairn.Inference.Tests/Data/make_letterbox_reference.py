# Makes the letterbox reference files used by LetterboxTests: a synthetic RGB image (formula below, reproduced in C#)
# letterboxed with the code of ultralytics/data/augment.py LetterBox.__call__ (auto=False, scale_fill=False,
# scaleup=True, center=True, padding 114) using cv2.resize INTER_LINEAR. Made with Debian's python3-opencv 4.6.0 and
# numpy 1.24: /usr/bin/python3 make_letterbox_reference.py
import cv2
import numpy as np


def source(w, h):
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([(x * 7 + y * 13) % 256, (x * x + y * 3) % 256, (x * y) % 256], axis=-1)
    return img.astype(np.uint8)


def letterbox(img, new_shape):
    shape = img.shape[:2]
    r = min(new_shape[0] / shape[0], new_shape[1] / shape[1])
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = (new_shape[1] - new_unpad[0]) / 2, (new_shape[0] - new_unpad[1]) / 2
    if shape[::-1] != new_unpad:
        img = cv2.resize(img, new_unpad, interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))


for w, h, t in [(97, 61, 64), (37, 23, 64), (50, 90, 64)]:
    out = letterbox(source(w, h), (t, t))
    assert out.shape == (t, t, 3)
    out.tofile(f"letterbox_{w}x{h}_to_{t}.rgb")
