"""Writes small synthetic native DICOM images (odd sizes, full sample range) for the codec tests.

usage: make_synthetic.py OUTDIR   -> OUTDIR/{u8,u12,s12,u16,s16,rgb8}.dcm
"""
import sys
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid, SecondaryCaptureImageStorage

out = sys.argv[1]
rng = np.random.default_rng(20261122)
rows, cols = 45, 67
y, x = np.mgrid[0:rows, 0:cols]


def image(lo, hi):
    span = hi - lo
    base = lo + (x * span // (cols - 1) + y * 7) % (span + 1)
    noise = rng.integers(-span // 16, span // 16 + 1, size=(rows, cols))
    a = np.clip(base + noise, lo, hi)
    a[0, 0], a[0, 1], a[1, 0], a[rows - 1, cols - 1] = lo, hi, hi, lo
    a[5:9, 5:30] = hi
    return a


def write(name, arr, bits_alloc, bits_stored, signed, spp=1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID, ds.Modality = "Synthetic^Codec", "SYN1", "OT"
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, cols, spp
    ds.PhotometricInterpretation = "RGB" if spp == 3 else "MONOCHROME2"
    if spp == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_alloc, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    dtype = {(8, False): np.uint8, (16, False): np.uint16, (16, True): np.int16}[(bits_alloc, signed)]
    ds.PixelData = arr.astype(dtype).tobytes()
    ds.save_as(f"{out}/{name}.dcm", write_like_original=False)


write("u8", image(0, 255), 8, 8, False)
write("u12", image(0, 4095), 16, 12, False)
write("s12", image(-2048, 2047), 16, 12, True)
write("u16", image(0, 65535), 16, 16, False)
write("s16", image(-32768, 32767), 16, 16, True)
rgb = np.stack([image(0, 255), image(0, 255)[::-1, :], image(0, 255)[:, ::-1]], axis=-1)
write("rgb8", rgb, 8, 8, False, spp=3)
