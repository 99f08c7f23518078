from .base import *

SECRET_KEY = "w(ol0lu^0juz9de@ut5mji1pdd@s$&j^#!7^=g@p=%s)j+2%6q"

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'shop',
        'USER': 'shop',
        'PASSWORD': 'PQKx25if0-Ed5Zq7tZ',
        'HOST': 'db.corp.internal',
    }
}
