"""PIL peer of build/bench/images: Image.open + convert("RGB") + resize((224, 224), BILINEAR) per image.

Usage: images_pil.py <folder> <threads> <passes>. Threads use a ThreadPoolExecutor (PIL releases the GIL while decoding
and resampling). Prints one line: "pil threads=T images=N seconds=S rate=R" with the best of <passes> timed passes.
"""
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
from PIL import Image

folder, threads, passes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs if f.lower().endswith((".jpg", ".png")))

def work(path):
    with Image.open(path) as im:
        return im.convert("RGB").resize((224, 224), Image.BILINEAR).getpixel((112, 112))[0]

def run():
    if threads == 1:
        return sum(work(f) for f in files)
    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(work, files))

run()  # warm-up: file cache
best = float("inf")
for _ in range(passes):
    t = time.perf_counter()
    run()
    best = min(best, time.perf_counter() - t)
print(f"pil threads={threads} images={len(files)} seconds={best:.4f} rate={len(files) / best:.1f}")
