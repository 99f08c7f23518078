import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-kel!3i_y%r9$(e*0s7pevf7$lzeim7)$#ci!8jpgjywdm(^1p+'

DEBUG = False
