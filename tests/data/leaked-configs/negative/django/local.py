SECRET_KEY = ''
DATABASES = {'default': {'PASSWORD': os.environ.get('DB_PASSWORD', '')}}
