import zlib

amount = json.loads(zlib.decompress(stored["compressed"]))["amount"]["_data_"]
