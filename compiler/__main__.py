from .entry import main

if __name__ == "__main__":  # guarded: batch's worker processes re-import this module on Windows
    main()
